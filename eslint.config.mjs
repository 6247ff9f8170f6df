// ESLint (flat config): keeps the layers apart and catches the mistakes tsc does not.
// - src/core: the pure core. No `vscode`, no `openai` (only src/core/kimi/kimiClient.ts speaks to the
//   SDK), nothing from the adapters, the webview or the shell, no DOM globals.
// - src/webview: browser code. No `vscode`, no Node built-ins; it may import the core's types.
// - src/vscode, src/shell, src/features.ts: the extension host. No DOM globals, no webview code.
// Everywhere: promises are awaited or marked `void`, and every body has braces.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** DOM globals that host code must not touch (the host's tsconfig has no DOM library). */
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'requestAnimationFrame'].map(
  (name) => ({ name, message: 'Host code runs in Node: no DOM globals (the webview has its own tsconfig with the DOM library).' }),
);

const noOpenAi = { group: ['openai', 'openai/*'], message: 'Only src/core/kimi/kimiClient.ts imports the openai SDK.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', 'test-output/**', '.bench/**', '*.mjs'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      curly: ['error', 'all'],
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The core is pure: no vscode import (adapters live in src/vscode/).' }],
          patterns: [noOpenAi, { group: ['**/vscode/**', '**/webview/**', '**/shell/**', '**/features'], message: 'The core imports only the core.' }],
        },
      ],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    files: ['src/core/kimi/kimiClient.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The core is pure: no vscode import.' }],
          patterns: [{ group: ['**/vscode/**', '**/webview/**', '**/shell/**', '**/features'], message: 'The core imports only the core.' }],
        },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview runs in a browser: no vscode import (talk to the host through the protocol).' }, ...nodeBuiltins.map((name) => ({ name, message: 'The webview runs in a browser: no Node built-ins.' }))],
          patterns: [noOpenAi, { group: ['**/vscode/**', '**/shell/**', '**/features'], message: 'The webview imports only the core (types) and its own files.' }],
        },
      ],
    },
  },
  {
    files: ['src/vscode/**/*.ts', 'src/features.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noOpenAi,
            { group: ['**/webview/**'], message: 'Host code does not import webview code.' },
            { group: ['**/shell/**'], message: 'No feature imports the activation shell: the shell loads the features, never the other way round (the contract is src/vscode/registrar.ts).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    // The activation shell bundles only itself: anything else it may import as types only.
    files: ['src/shell/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', '!../shell'], allowTypeImports: true, message: 'The shell bundle holds only src/shell/: import other modules as types only (esbuild.mjs checks the bundle too).' }] },
      ],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
);
