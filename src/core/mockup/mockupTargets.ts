/** The kinds of code a mockup can become, and what the editor needs to know about each. */

export type MockupTarget = 'html' | 'react' | 'vue';

export interface TargetInfo {
  id: MockupTarget;
  /** Quick-pick label. */
  label: string;
  detail: string;
  /** VS Code language id of the new editor (`vue` needs a Vue extension; `html` is the fallback). */
  languageId: string;
  fallbackLanguageId: string;
  fileExtension: string;
  /** The fence info string the model is asked to use. */
  fence: string;
  /** Wraps a one-line note in this language's comment syntax. */
  comment(text: string): string;
}

const htmlComment = (text: string): string => `<!-- ${text.replace(/--/g, '—')} -->`;

export const TARGETS: Readonly<Record<MockupTarget, TargetInfo>> = {
  html: {
    id: 'html',
    label: 'HTML + CSS',
    detail: 'One self-contained .html file with a <style> block, no scripts or external resources',
    languageId: 'html',
    fallbackLanguageId: 'html',
    fileExtension: 'html',
    fence: 'html',
    comment: htmlComment,
  },
  react: {
    id: 'react',
    label: 'React (TSX) + Tailwind',
    detail: 'One .tsx function component styled with Tailwind utility classes',
    languageId: 'typescriptreact',
    fallbackLanguageId: 'typescriptreact',
    fileExtension: 'tsx',
    fence: 'tsx',
    comment: (text) => `/* ${text.replace(/\*\//g, '* /')} */`,
  },
  vue: {
    id: 'vue',
    label: 'Vue single-file component',
    detail: 'One .vue file: <script setup lang="ts">, <template> and scoped CSS',
    languageId: 'vue',
    fallbackLanguageId: 'html',
    fileExtension: 'vue',
    fence: 'vue',
    comment: htmlComment,
  },
};

export const TARGET_IDS: readonly MockupTarget[] = ['html', 'react', 'vue'];

export function isMockupTarget(value: unknown): value is MockupTarget {
  return typeof value === 'string' && (TARGET_IDS as readonly string[]).includes(value);
}
