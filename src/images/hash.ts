import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Short, stable content hash for image tags: unchanged recipe, unchanged tag, no rebuild. */
export function hashParts(parts: readonly (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const part of parts) {
    const buf = typeof part === 'string' ? Buffer.from(part) : part;
    h.update(`${buf.length}:`);
    h.update(buf);
  }
  return h.digest('hex').slice(0, 16);
}

/** Hash of a file's bytes, or of a directory tree (relative paths, modes and contents). */
export async function hashPath(target: string): Promise<string> {
  const h = createHash('sha256');
  const info = await stat(target);
  if (info.isFile()) {
    await hashFileInto(h, target);
  } else {
    for (const rel of await listFiles(target)) {
      const full = path.join(target, rel);
      const st = await stat(full);
      h.update(`${rel}\0${st.mode & 0o777}\0${st.size}\0`);
      await hashFileInto(h, full);
    }
  }
  return h.digest('hex').slice(0, 16);
}

/** Every regular file under `dir`, relative, sorted (symlinks followed by stat). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    files.push(path.relative(dir, path.join(e.parentPath, e.name)));
  }
  return files.sort();
}

function hashFileInto(h: ReturnType<typeof createHash>, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('end', () => resolve())
      .on('error', reject);
  });
}
