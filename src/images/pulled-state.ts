import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { z } from 'zod';
import { engineAddress } from '../docker/engine.ts';

/**
 * Who pulled an image. Labels cannot be added to a pulled image, so hotmess keeps one small file per image it
 * pulled (per engine), and a disk budget removes only images with such a file whose id still matches.
 */
export const pulledRecordSchema = z.object({
  format: z.literal('hotmess.pulled/1'),
  id: z.string(),
  /** The names hotmess gave it: the name pulled, and the official name when pulled from a mirror. */
  tags: z.array(z.string()).min(1),
  registry: z.string(),
  sizeBytes: z.number(),
  pulledAt: z.string(),
  lastUsedAt: z.string(),
});
export type PulledRecord = z.infer<typeof pulledRecordSchema>;

/** $HOTMESS_STATE, else $XDG_STATE_HOME/hotmess, else ~/.local/state/hotmess. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOTMESS_STATE) return env.HOTMESS_STATE;
  return path.join(env.XDG_STATE_HOME ?? path.join(homedir(), '.local', 'state'), 'hotmess');
}

export class PulledImages {
  readonly dir: string;

  constructor(stateDir: string = defaultStateDir(), engine: string = engineAddress()) {
    const key = createHash('sha256').update(engine).digest('hex').slice(0, 12);
    this.dir = path.join(stateDir, 'pulls', key);
  }

  private file(id: string): string {
    return path.join(this.dir, `${id.replace(/^sha256:/, '')}.json`);
  }

  async record(entry: Omit<PulledRecord, 'format'>): Promise<PulledRecord> {
    const existing = await this.read(entry.id);
    const tags = [...new Set([...(existing?.tags ?? []), ...entry.tags])];
    const full: PulledRecord = { format: 'hotmess.pulled/1', ...entry, tags };
    await mkdir(this.dir, { recursive: true });
    // Written whole and renamed, so that another process never reads half a record.
    const tmp = `${this.file(entry.id)}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(full)}\n`);
    await rename(tmp, this.file(entry.id));
    return full;
  }

  async read(id: string): Promise<PulledRecord | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(id), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = pulledRecordSchema.safeParse(safeJson(text));
    return parsed.success ? parsed.data : undefined;
  }

  async list(): Promise<PulledRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const records = await Promise.all(
      names.filter((n) => n.endsWith('.json')).map((n) => this.read(n.slice(0, -'.json'.length))),
    );
    return records.filter((r): r is PulledRecord => r !== undefined);
  }

  /** The record of the image a tag names now, when hotmess pulled that very image under that tag. */
  async ownerOf(docker: Docker, tag: string): Promise<PulledRecord | undefined> {
    let id: string;
    try {
      id = (await docker.getImage(tag).inspect()).Id;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
    const record = await this.read(id);
    return record?.tags.includes(tag) ? record : undefined;
  }

  async touch(record: PulledRecord, at = new Date()): Promise<void> {
    await this.record({ ...record, lastUsedAt: at.toISOString() });
  }

  /**
   * Removes the tags hotmess gave an image it pulled; the engine deletes the image with its last tag, so a tag
   * someone else added keeps it. Fails (and keeps the record) when a container still uses it.
   */
  async remove(docker: Docker, record: PulledRecord): Promise<void> {
    for (const tag of record.tags) {
      let id: string | undefined;
      try {
        id = (await docker.getImage(tag).inspect()).Id;
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      }
      // A tag that now names another image is no longer ours to remove.
      if (id === record.id) await docker.getImage(tag).remove();
    }
    await this.forget(record.id);
  }

  async forget(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
