// Builds dist/ from src/: the CLI as plain JavaScript, so that it starts like any Node program instead of
// compiling TypeScript at every start. `--if-stale`: only when src/ changed since the last build.
//
// One bundle per lazily loaded part (esbuild's code splitting follows the CLI's dynamic imports: one chunk per
// command, the sweep, the Docker client...), packages left to node_modules. Every file sits directly in dist/,
// since src/paths.ts finds the checkout as the parent of its module's folder. Files are written whole (temp file
// and rename) and chunk names carry a content hash, so a running hotmess or a parallel build never reads half a
// file, and chunks of the previous build stay a day for processes still running from it.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { contentFingerprint, distDir, distState, quickFingerprint, sourceFiles, stampFile } from './source-stamp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keepOldMs = 24 * 3600 * 1000;
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// string-width is listed only so that it is not external: the alias below then turns every import of it into
// scripts/string-width.js, which loads the package itself from node_modules on first need.
const bundled = ['yargs', 'zod', 'string-width'];

// zod's namespace re-exports its messages in 50 languages (340 KB, a third of zod, compiled at every start of a
// command that validates input); hotmess speaks English, the one zod sets up by default.
const zodInEnglishOnly = {
  name: 'zod-in-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)
        ? { path: 'zod-locales', namespace: 'zod-in-english-only' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-in-english-only' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: root,
    }));
  },
};

export async function buildDist({ ifStale = false } = {}) {
  const state = await distState(root);
  if (ifStale && state === 'fresh') return { built: false, state };
  const files = sourceFiles(root);
  const stamp = { quick: quickFingerprint(root, files), content: await contentFingerprint(root, files) };
  const out = path.join(root, distDir);
  const started = performance.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: 'src/cli/main.ts' },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'esnext',
    // Node packages stay in node_modules, but for the argument parser and the schema library: bundled, they load
    // in about half the time, and every command, --help too, waits for the one, every input for the other.
    external: Object.keys(manifest.dependencies).filter((name) => !bundled.includes(name)),
    // One string-width for the whole bundle, the newest behind a fast path for one-column text
    // (scripts/string-width.js): cliui and wrap-ansi bring an older copy that runs an emoji regex over every
    // character of the help text.
    alias: { 'string-width': './scripts/string-width.js' },
    banner: {
      js: "import { createRequire as __hotmessRequire } from 'node:module';\nconst require = __hotmessRequire(import.meta.url);",
    },
    plugins: [zodInEnglishOnly],
    chunkNames: '[name]-[hash]',
    sourcemap: 'linked',
    // Fewer bytes to parse at every start (Node 20 keeps no compile cache for ES modules). Names are kept, so
    // that class and function names stay what the sources say; HOTMESS_DEBUG maps stacks to src/ by the maps.
    minifyWhitespace: true,
    minifySyntax: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(out, { recursive: true });
  const written = new Set([stampFile]);
  for (const file of result.outputFiles) {
    writeWhole(file.path, file.contents);
    written.add(path.basename(file.path));
  }
  for (const name of readdirSync(out)) {
    const file = path.join(out, name);
    if (!written.has(name) && Date.now() - statSync(file).mtimeMs > keepOldMs) unlinkSync(file);
  }
  writeWhole(path.join(out, stampFile), `${JSON.stringify(stamp)}\n`);
  return { built: true, state, ms: performance.now() - started };
}

function writeWhole(file, contents) {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outcome = await buildDist({ ifStale: process.argv.includes('--if-stale') });
  if (outcome.built)
    process.stderr.write(
      `build: dist/ ${outcome.state === 'missing' ? 'built' : 'rebuilt'} in ${(outcome.ms / 1000).toFixed(1)} s\n`,
    );
}
