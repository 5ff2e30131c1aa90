import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { listFiles } from '../images/hash.ts';
import { instanceSchema, type Instance } from '../instances/schema.ts';
import { simSpecSchema } from '../sim/spec-schema.ts';
import { sha256 } from './blobs.ts';

/**
 * A task as it travels to workers: the record, and every file it names (its `source`, its sim spec and the
 * spec's patches) by content hash, laid out relative to one root so that relative paths still resolve.
 */
export const portableTaskSchema = z.object({
  format: z.literal('hotmess.task/1'),
  record: z.record(z.string(), z.unknown()),
  /** The record's own directory, relative to the root the files are laid out in. */
  baseDir: z.string(),
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), mode: z.number().int() })),
});
export type PortableTask = z.infer<typeof portableTaskSchema>;

export interface PackedTask {
  task: PortableTask;
  /** The files' bytes by hash, to store once each. */
  blobs: Map<string, Buffer>;
}

/** Packs an instance and the files it refers to. */
export async function packTask(instance: Instance): Promise<PackedTask> {
  const files = await referencedFiles(instance);
  const root = commonDir([instance.baseDir, ...files.map((f) => path.dirname(f))]);
  const blobs = new Map<string, Buffer>();
  const entries: PortableTask['files'] = [];
  for (const file of files) {
    const data = await readFile(file);
    const sha = sha256(data);
    blobs.set(sha, data);
    entries.push({ path: path.relative(root, file), sha256: sha, mode: (await stat(file)).mode & 0o777 });
  }
  const { baseDir, ...record } = instance;
  return { task: { format: 'hotmess.task/1', record, baseDir: path.relative(root, baseDir), files: entries }, blobs };
}

/**
 * Lays a task's files out under `dir` (fetching each by hash) and returns its instance, whose relative paths
 * resolve there. Written to a temporary name and renamed, so a worker killed half-way leaves nothing half-made.
 */
export async function unpackTask(
  task: PortableTask,
  dir: string,
  fetch: (sha: string) => Promise<Buffer>,
): Promise<Instance> {
  const ready = await stat(dir).then(
    () => true,
    () => false,
  );
  if (!ready) {
    const temp = `${dir}.${process.pid}.tmp`;
    for (const file of task.files) {
      const target = path.join(temp, file.path);
      if (!target.startsWith(`${temp}${path.sep}`)) throw new Error(`task file ${file.path} lies outside its task`);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await fetch(file.sha256), { mode: file.mode });
    }
    await mkdir(temp, { recursive: true });
    await rename(temp, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another job of the same task got there first.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  }
  return { ...instanceSchema.parse(task.record), baseDir: path.join(dir, task.baseDir) };
}

/** `source` (a file, or every file of a directory), the sim spec and the patch files the spec names. */
async function referencedFiles(instance: Instance): Promise<string[]> {
  const files: string[] = [];
  if (instance.source) {
    const source = path.resolve(instance.baseDir, instance.source);
    const info = await stat(source);
    if (info.isDirectory()) files.push(...(await listFiles(source)).map((f) => path.join(source, f)));
    else files.push(source);
  }
  if (instance.sim) {
    const spec = path.resolve(instance.baseDir, instance.sim);
    files.push(spec);
    // A spec that does not parse travels as it is, and fails on the worker as it would here.
    const parsed = simSpecSchema.safeParse(yamlOrNothing(await readFile(spec, 'utf8')));
    if (parsed.success)
      for (const c of Object.values(parsed.data.candidates))
        if (c.patch !== null && c.patch !== 'gold') files.push(path.resolve(path.dirname(spec), c.patch));
  }
  return [...new Set(files)];
}

function yamlOrNothing(text: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The deepest directory holding every one of `dirs`. */
export function commonDir(dirs: readonly string[]): string {
  const split = dirs.map((d) => path.resolve(d).split(path.sep));
  const first = split[0] ?? [''];
  let n = 0;
  while (n < first.length && split.every((parts) => parts[n] === first[n])) n += 1;
  return first.slice(0, n).join(path.sep) || path.sep;
}
