// Builds the two bundles: the extension host bundle (node/cjs) and the webview bundle (browser/iife).
// `--production` minifies and drops source maps; `--watch` rebuilds on change and reports
// errors in the format of the `$esbuild-watch` problem matcher.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').Plugin} */
const problemMatcher = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) {
          console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * Copies the codicon font and stylesheet next to the webview bundle (shipped via dist/webview/**);
 * a production build also removes source maps left there by a development build.
 */
/** @type {import('esbuild').Plugin} */
const copyCodicons = {
  name: 'copy-codicons',
  setup(build) {
    build.onEnd(() => {
      fs.mkdirSync('dist/webview', { recursive: true });
      for (const file of ['codicon.css', 'codicon.ttf']) {
        fs.copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/webview/${file}`);
      }
      if (production) {
        for (const file of fs.readdirSync('dist/webview').filter((f) => f.endsWith('.map'))) {
          fs.rmSync(`dist/webview/${file}`);
        }
      }
    });
  },
};

/**
 * The `openai` SDK is a bundle of its own (dist/openai.js), required on the first request: it
 * is over half of the extension's code, and parsing it at activation would double the
 * activation time. The extension bundle keeps `import('openai')` as a require of that file.
 */
/** @type {import('esbuild').Plugin} */
const openaiApart = {
  name: 'openai-apart',
  setup(build) {
    build.onResolve({ filter: /^openai$/ }, () => ({ path: './openai.js', external: true }));
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
};

const contexts = await Promise.all([
  esbuild.context({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    // Prefer ES module builds: jsonc-parser's UMD main uses dynamic requires esbuild cannot follow.
    mainFields: ['module', 'main'],
    plugins: [...common.plugins, openaiApart],
  }),
  esbuild.context({
    ...common,
    stdin: { contents: "module.exports = require('openai');", resolveDir: '.', loader: 'js' },
    outfile: 'dist/openai.js',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
  }),
  esbuild.context({
    ...common,
    entryPoints: { chat: 'src/webview/chat/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    plugins: [...common.plugins, copyCodicons],
  }),
]);

if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
