import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jobId, parseJobId } from './names.ts';

describe('job ids', () => {
  it('round-trip any run id, task id and unroll, and never contain a colon', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/),
        fc.string({ minLength: 1 }),
        fc.nat(100_000),
        (runId, instanceId, unroll) => {
          const id = jobId(runId, instanceId, unroll);
          expect(id).not.toContain(':');
          expect(parseJobId(id)).toEqual({ runId, instanceId, unroll });
          expect(parseJobId(jobId(runId, instanceId, unroll, 'g1k2'))).toEqual({ runId, instanceId, unroll });
        },
      ),
    );
  });

  it('reads no run out of an id of another shape', () => {
    expect(parseJobId('42')).toBeUndefined();
  });
});
