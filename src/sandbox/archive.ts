import type Docker from 'dockerode';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { SandboxError, errorMessage } from '../errors.ts';

const MAX_READ_BYTES = 64 * 1024 * 1024;

/** Reads one regular file out of a container through the archive API (no exec, no shell quoting). */
export async function readContainerFile(container: Docker.Container, file: string): Promise<Buffer> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await container.getArchive({ path: file });
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 404) throw new SandboxError('file_not_found', `No such file in the sandbox: ${file}`, err);
    throw new SandboxError('sandbox_io', `Reading ${file} from the sandbox failed: ${errorMessage(err)}`, err);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const extract = tar.extract();
    let result: Buffer | undefined;
    let failure: Error | undefined;
    extract.on('entry', (header, body, next) => {
      if (result !== undefined || failure !== undefined) {
        body.resume();
        body.on('end', next);
        return;
      }
      if (header.type !== 'file') {
        failure = new SandboxError('not_a_file', `${file} in the sandbox is a ${header.type}, not a regular file.`);
        body.resume();
        body.on('end', next);
        return;
      }
      if ((header.size ?? 0) > MAX_READ_BYTES) {
        failure = new SandboxError('file_too_large', `${file} in the sandbox is larger than ${MAX_READ_BYTES} bytes.`);
        body.resume();
        body.on('end', next);
        return;
      }
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => {
        chunks.push(c as Buffer);
      });
      body.on('end', () => {
        result = Buffer.concat(chunks);
        next();
      });
    });
    extract.on('finish', () => {
      if (failure) reject(failure);
      else if (result === undefined) reject(new SandboxError('file_not_found', `No such file in the sandbox: ${file}`));
      else resolve(result);
    });
    extract.on('error', (err) =>
      reject(new SandboxError('sandbox_io', `Reading ${file} from the sandbox failed: ${errorMessage(err)}`, err)),
    );
    stream.pipe(extract);
  });
}

/** Writes one file into an existing directory of a container, with the given mode and owner. */
export async function writeContainerFile(
  container: Docker.Container,
  file: string,
  data: Buffer,
  opts: { mode: number; uid: number; gid: number },
): Promise<void> {
  const pack = tar.pack();
  pack.entry(
    { name: path.posix.basename(file), mode: opts.mode, uid: opts.uid, gid: opts.gid, mtime: new Date() },
    data,
  );
  pack.finalize();
  try {
    await container.putArchive(Readable.from(pack), { path: path.posix.dirname(file) });
  } catch (err) {
    throw new SandboxError('sandbox_io', `Writing ${file} into the sandbox failed: ${errorMessage(err)}`, err);
  }
}
