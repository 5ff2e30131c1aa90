// Is dist/ built from the sources now in src/? Plain JavaScript: bin/hotmess.js asks at every start, before any
// TypeScript can run. Two fingerprints of the sources that dist/ is built from (src/ without tests, and the
// build script): a quick one of names, sizes and modification times, checked first, and one of the contents,
// which decides when the quick one differs (a checkout or `touch` changes times but not what is built).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const distDir = 'dist';
export const stampFile = 'build-stamp.json';

/** The files dist/ is built from, relative to the checkout, sorted. */
export function sourceFiles(root) {
  const files = ['scripts/build.js', 'scripts/string-width.js'];
  // Plain string joins, here and in quickFingerprint: this runs at every start, for some 250 files.
  const visit = (rel) => {
    for (const entry of readdirSync(`${root}/${rel}`, { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) visit(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(child);
    }
  };
  visit('src');
  return files.sort();
}

/** Names, sizes and times, as text: compared as is, so that the common case loads no hashing code. */
export function quickFingerprint(root, files = sourceFiles(root)) {
  return files
    .map((file) => {
      const s = statSync(`${root}/${file}`);
      return `${file}\t${s.size}\t${s.mtimeMs}`;
    })
    .join('\n');
}

export async function contentFingerprint(root, files = sourceFiles(root)) {
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  return hash.digest('hex');
}

export function readStamp(root) {
  try {
    const stamp = JSON.parse(readFileSync(path.join(root, distDir, stampFile), 'utf8'));
    return typeof stamp.quick === 'string' && typeof stamp.content === 'string' ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** 'fresh', 'stale' (built from other sources) or 'missing' (never built, or the stamp is unreadable). */
export async function distState(root) {
  const stamp = readStamp(root);
  if (!stamp) return 'missing';
  const files = sourceFiles(root);
  if (quickFingerprint(root, files) === stamp.quick) return 'fresh';
  return (await contentFingerprint(root, files)) === stamp.content ? 'fresh' : 'stale';
}
