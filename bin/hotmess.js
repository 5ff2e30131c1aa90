#!/usr/bin/env node
// Runs the CLI built into dist/ (scripts/build.js, run by set-up), which starts like any Node program. When
// dist/ is missing or older than src/ (a checkout not yet set up, or sources edited since), the sources run
// through tsx instead, slower to start but never stale; a person at a terminal is told how to build.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distState } from '../scripts/source-stamp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const state = await distState(root);
if (process.env.HOTMESS_DEBUG) process.setSourceMapsEnabled(true);

let main;
if (state === 'fresh') {
  ({ main } = await import('../dist/main.js'));
} else {
  if (process.stderr.isTTY)
    process.stderr.write(
      `hotmess: dist/ is ${state === 'missing' ? 'not built' : 'older than src/'}, so the sources run through tsx (slower to start); 'npm run build' builds it.\n`,
    );
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
