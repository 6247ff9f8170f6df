/** Maps a code fence's language tag to a VS Code language id (for "Open in New Editor"). */
const ALIASES: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  rb: 'ruby',
  rs: 'rust',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  console: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  'c++': 'cpp',
  cs: 'csharp',
  'c#': 'csharp',
  kt: 'kotlin',
  golang: 'go',
  html: 'html',
  xml: 'xml',
  svg: 'xml',
  ps1: 'powershell',
  text: 'plaintext',
  txt: 'plaintext',
};

export function languageIdForFence(tag: string, known: readonly string[]): string {
  const lower = tag.trim().toLowerCase();
  const id = ALIASES[lower] ?? lower;
  return id && known.includes(id) ? id : 'plaintext';
}
