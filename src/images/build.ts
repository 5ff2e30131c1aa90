import type Docker from 'dockerode';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { ImageBuildError, errorMessage } from '../errors.ts';
import { listFiles } from './hash.ts';
import { LogTail, type ProgressFn, quiet } from './progress.ts';

/** A build context entry: inline content, or a file or directory on the host copied under `name`. */
export type ContextEntry =
  { name: string; content: string | Buffer; mode?: number } | { name: string; hostPath: string };

export interface BuildRequest {
  tag: string;
  dockerfile: string;
  context?: ContextEntry[];
  labels?: Record<string, string>;
  timeoutMs?: number;
  progress?: ProgressFn;
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Builds an image through the engine's API from a context streamed as tar. A failed build is reported with
 * the step that failed and the tail of its output (the engine reports failure as an event, not an error).
 */
export async function buildImage(docker: Docker, req: BuildRequest): Promise<void> {
  const progress = req.progress ?? quiet;
  const tail = new LogTail();
  const abort = new AbortController();
  const timeoutMs = req.timeoutMs ?? 30 * 60_000;
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let step: string | undefined;
  // The failing step's last line of its own output (not the engine's, not an xtrace echo), preferring one that
  // reads like an error: stdout and stderr reach the engine through separate pipes, so their order varies.
  let lastOutput: string | undefined;
  let lastError: string | undefined;
  try {
    const context = Readable.from(
      packContext([{ name: 'Dockerfile', content: req.dockerfile }, ...(req.context ?? [])]),
    );
    const stream = await docker.buildImage(context, {
      t: req.tag,
      labels: req.labels ?? {},
      rm: true,
      forcerm: true,
      abortSignal: abort.signal,
    } as Docker.ImageBuildOptions);
    const events = await new Promise<BuildEvent[]>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, out: BuildEvent[]) => (err ? reject(err) : resolve(out)),
        (event: BuildEvent) => {
          if (event.stream) {
            tail.push(event.stream);
            // eslint-disable-next-line no-control-regex
            for (const line of event.stream.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
              if (/^Step \d+\/\d+ :/.test(line)) {
                step = clip(line.replace(/\s+/g, ' '), 160);
                lastOutput = undefined;
                lastError = undefined;
                progress(`${req.tag}: ${step}`);
              } else if (line.trim() !== '' && !/^ ---> |^Removing intermediate container |^\+ /.test(line)) {
                lastOutput = clip(line.trim(), 300);
                if (errorLike.test(line)) lastError = lastOutput;
              }
            }
          }
          if (event.error) tail.push(event.error);
        },
      );
    });
    const failure = events.find((e) => e.error);
    if (failure) {
      const line = failureLine(
        req.tag,
        step,
        failure.errorDetail?.message ?? failure.error ?? 'unknown error',
        lastError ?? lastOutput,
      );
      throw new ImageBuildError(`${line}\n--- last output ---\n${tail.toString()}`, step, tail.toString());
    }
  } catch (err) {
    if (err instanceof ImageBuildError) throw err;
    const why = abort.signal.aborted ? `timed out after ${Math.round(timeoutMs / 1000)} s` : errorMessage(err);
    throw new ImageBuildError(
      `${failureLine(req.tag, step, why, undefined)}\n--- last output ---\n${tail.toString()}`,
      step,
      tail.toString(),
      err,
    );
  } finally {
    clearTimeout(timer);
  }
}

const errorLike = /\b(error|fatal|failed|cannot|can't|not found|no such|denied|not in)\b/i;

/**
 * The error's first line leads with the reason: for a RUN step that exited non-zero, its last line of output
 * (the engine's own message only quotes the command); otherwise the engine's message.
 */
function failureLine(
  tag: string,
  step: string | undefined,
  engineMessage: string,
  lastOutput: string | undefined,
): string {
  const exit = /returned a non-zero code: (\d+)/.exec(engineMessage)?.[1];
  const reason = exit !== undefined && lastOutput ? lastOutput : clip(engineMessage, 300);
  const where = [clip(step ?? 'the start', 100), ...(exit === undefined ? [] : [`exit code ${exit}`])].join(', ');
  return `Building ${tag} failed: ${reason} (at ${where})`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Streams the context as a tar, one entry at a time, so large sources never sit in memory whole. */
function packContext(entries: ContextEntry[]): tar.Pack {
  const pack = tar.pack();
  void (async () => {
    for (const entry of entries) {
      if ('content' in entry) {
        const body = typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content;
        await addEntry(pack, { name: entry.name, mode: entry.mode ?? 0o644, size: body.length }, body);
        continue;
      }
      const info = await stat(entry.hostPath);
      const files = info.isDirectory()
        ? (await listFiles(entry.hostPath)).map(
            (rel) =>
              [path.join(entry.hostPath, rel), path.posix.join(entry.name, rel.split(path.sep).join('/'))] as const,
          )
        : [[entry.hostPath, entry.name] as const];
      for (const [host, name] of files) {
        const st = await stat(host);
        await addEntry(pack, { name, mode: st.mode & 0o777, size: st.size }, createReadStream(host));
      }
    }
    pack.finalize();
  })().catch((err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))));
  return pack;
}

type EntryHeader = Parameters<tar.Pack['entry']>[0];

function addEntry(pack: tar.Pack, header: EntryHeader, body: Buffer | NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (Buffer.isBuffer(body)) {
      pack.entry(header, body, (err) => (err ? reject(err) : resolve()));
      return;
    }
    const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    body.on('error', reject);
    body.pipe(sink);
  });
}
