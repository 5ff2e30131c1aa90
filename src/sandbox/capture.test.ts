import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarkedCapture } from './capture.ts';

const marker = Buffer.from('\n__END_abc_');

function feed(capture: MarkedCapture, data: Buffer, cuts: number[]): boolean {
  let last = 0;
  let done = false;
  for (const cut of [...cuts.filter((c) => c > 0 && c < data.length)].sort((a, b) => a - b).concat(data.length)) {
    done = capture.push(data.subarray(last, cut)) || done;
    last = cut;
  }
  return done;
}

describe('MarkedCapture', () => {
  it('finds the marker and its trailer however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 255 }), fc.array(fc.nat(200)), (body, rc, cuts) => {
        const safe = body.replaceAll('__END_abc_', '');
        const data = Buffer.from(`${safe}\n__END_abc_${rc}\nnoise after`);
        const capture = new MarkedCapture(marker, 1 << 20);
        expect(feed(capture, data, cuts)).toBe(true);
        expect(capture.text()).toBe(safe);
        expect(capture.trailerText).toBe(String(rc));
        expect(capture.truncated).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps at most the cap, marks truncation and counts every byte', () => {
    const capture = new MarkedCapture(marker, 10);
    const body = 'x'.repeat(1000);
    capture.push(Buffer.from(body.slice(0, 500)));
    capture.push(Buffer.from(`${body.slice(500)}\n__END_abc_0\n`));
    expect(capture.text()).toBe('x'.repeat(10));
    expect(capture.truncated).toBe(true);
    expect(capture.totalBytes).toBe(1000);
    expect(capture.done).toBe(true);
  });

  it('returns a held-back tail on flush when the stream ends without the marker', () => {
    const capture = new MarkedCapture(marker, 100);
    expect(capture.push(Buffer.from('partial\n__EN'))).toBe(false);
    capture.flush();
    expect(capture.text()).toBe('partial\n__EN');
  });
});
