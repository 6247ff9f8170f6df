// Builds the bundles: the extension host's activation shell, its features and the openai SDK
// (node/cjs: dist/extension.js, dist/features.js, dist/openai.js) and the webview bundle (browser/iife).
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

/**
 * The activation shell (dist/extension.js) loads the features (dist/features.js) on first need:
 * its `require('../features')` stays a require of that file.
 */
/** @type {import('esbuild').Plugin} */
const featuresApart = {
  name: 'features-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/features$/ }, () => ({ path: './features.js', external: true }));
  },
};

/** The shell stays small: its bundle's size limit (bytes), minified or not. */
const SHELL_MAX_BYTES = production ? 8 * 1024 : 16 * 1024;

/**
 * Fails the build when the two extension host bundles could share a module (a class bundled
 * twice breaks `instanceof` and splits state): the shell may hold only src/shell/ (and import
 * `vscode`), the features nothing from src/shell/ (they import its types only). The shell also
 * has a size limit.
 */
/** @param {'shell' | 'features'} bundle @returns {import('esbuild').Plugin} */
const moduleBoundary = (bundle) => ({
  name: `module-boundary-${bundle}`,
  setup(build) {
    build.onEnd((result) => {
      if (!result.metafile) {
        return;
      }
      const inputs = Object.keys(result.metafile.inputs);
      const inShell = (input) => input.startsWith('src/shell/');
      const strays = bundle === 'shell' ? inputs.filter((i) => !inShell(i)) : inputs.filter(inShell);
      const errors = strays.map((input) => `${bundle} bundle must not contain ${input}: ${bundle === 'shell' ? 'the shell imports only vscode and src/shell/ (import type for the rest)' : 'import only types from src/shell/'}`);
      for (const [file, output] of Object.entries(result.metafile.outputs)) {
        const externals = output.imports.filter((i) => i.external).map((i) => i.path);
        const allowed = bundle === 'shell' ? ['vscode', './features.js'] : null;
        for (const path of allowed ? externals.filter((p) => !allowed.includes(p)) : []) {
          errors.push(`${file} must not require ${path} (the shell requires only vscode and ./features.js)`);
        }
        if (bundle === 'shell' && file.endsWith('.js') && output.bytes > SHELL_MAX_BYTES) {
          errors.push(`${file} is ${output.bytes} bytes, over the shell's limit of ${SHELL_MAX_BYTES}: move code to the features`);
        }
      }
      return { errors: errors.map((text) => ({ text })) };
    });
  },
});

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
    entryPoints: ['src/shell/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    metafile: true,
    plugins: [...common.plugins, featuresApart, moduleBoundary('shell')],
  }),
  esbuild.context({
    ...common,
    entryPoints: ['src/features.ts'],
    outfile: 'dist/features.js',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    // Prefer ES module builds: jsonc-parser's UMD main uses dynamic requires esbuild cannot follow.
    mainFields: ['module', 'main'],
    metafile: true,
    plugins: [...common.plugins, openaiApart, moduleBoundary('features')],
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
