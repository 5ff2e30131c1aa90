import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../src/paths.ts';

/**
 * Builds dist/ before the tests when src/ changed since the last build (about a second), so that every test that
 * spawns bin/hotmess.js runs the shipped JavaScript of the sources under test, as a user's CLI would.
 */
export default async function setup(): Promise<void> {
  await execa('node', [path.join(repoRoot, 'scripts/build.js'), '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
}
