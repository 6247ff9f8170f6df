import type { ToolSpec } from '../kimi/kimiTypes';

/** The chat's tools as the model is told about them (names, descriptions, JSON schemas of the arguments). */
export const CHAT_TOOLS: readonly ToolSpec[] = [
  {
    type: 'function',
    function: {
      name: 'list_files',
      description: 'List files in the workspace. Without a pattern, lists one directory (directories end with /). With a glob pattern (e.g. "**/*.ts"), lists matching files under the directory.',
      parameters: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'Directory relative to the workspace folder; "." for the folder itself.' },
          pattern: { type: 'string', description: 'Optional glob relative to the directory, e.g. "**/*.test.ts".' },
        },
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Read a text file of the workspace, optionally only some lines (1-based, inclusive). Long files are cut; ask for later lines with startLine.',
      parameters: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'File path relative to the workspace folder.' },
          startLine: { type: 'integer', minimum: 1 },
          endLine: { type: 'integer', minimum: 1 },
        },
        required: ['path'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'search_text',
      description: 'Search the text of workspace files for a literal string (case-insensitive unless it has capitals). Returns path:line: text for each match.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'The literal text to find.' },
          include: { type: 'string', description: 'Optional glob of files to search, e.g. "src/**/*.ts".' },
        },
        required: ['query'],
        additionalProperties: false,
      },
    },
  },
];
