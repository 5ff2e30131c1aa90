import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { demux } from './demux.ts';

function frame(type: 1 | 2, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('demux', () => {
  it('recovers both streams however the multiplexed bytes are cut into reads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(1 as const, 2 as const), fc.uint8Array({ maxLength: 300 })), {
          maxLength: 20,
        }),
        fc.array(fc.nat(4000), { maxLength: 30 }),
        (frames, cuts) => {
          const wire = Buffer.concat(frames.map(([t, p]) => frame(t, Buffer.from(p))));
          const stream = new PassThrough();
          const out: Buffer[] = [];
          const err: Buffer[] = [];
          demux(
            stream,
            (b) => out.push(Buffer.from(b)),
            (b) => err.push(Buffer.from(b)),
          );
          let last = 0;
          for (const cut of [...new Set(cuts.filter((c) => c > 0 && c < wire.length))]
            .sort((a, b) => a - b)
            .concat(wire.length)) {
            stream.emit('data', wire.subarray(last, cut));
            last = cut;
          }
          const expected = (type: 1 | 2) =>
            Buffer.concat(frames.filter(([t]) => t === type).map(([, p]) => Buffer.from(p)));
          expect(Buffer.concat(out).equals(expected(1))).toBe(true);
          expect(Buffer.concat(err).equals(expected(2))).toBe(true);
        },
      ),
    );
  });
});
