import type { Duplex } from 'node:stream';

/**
 * Splits an attached exec's multiplexed stream (Tty: false) into stdout and stderr chunks. Docker frames
 * each chunk with an 8-byte header: stream type (1 = stdout, 2 = stderr) and a big-endian payload length.
 * Parsed here on 'data' as a small state machine that hands out slices of the socket's chunks without
 * copying: this sits on the per-action hot path of the persistent shell, and a command printing hundreds of
 * megabytes must not churn memory. Headers and payloads split across reads are handled.
 */
export function demux(
  stream: Duplex | NodeJS.ReadableStream,
  onStdout: (b: Buffer) => void,
  onStderr: (b: Buffer) => void,
): void {
  const header = Buffer.alloc(8);
  let headerBytes = 0;
  let remaining = 0;
  let toStderr = false;
  stream.on('data', (chunk: Buffer) => {
    let at = 0;
    while (at < chunk.length) {
      if (remaining === 0) {
        const take = Math.min(8 - headerBytes, chunk.length - at);
        chunk.copy(header, headerBytes, at, at + take);
        headerBytes += take;
        at += take;
        if (headerBytes < 8) return;
        headerBytes = 0;
        toStderr = header[0] === 2;
        remaining = header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(remaining, chunk.length - at);
      const payload = chunk.subarray(at, at + take);
      remaining -= take;
      at += take;
      if (toStderr) onStderr(payload);
      else onStdout(payload);
    }
  });
}
