import { describe, expect, it } from 'vitest';
import { formatQueueStatus } from './status.ts';

describe('queue status', () => {
  it('names each worker with its host, concurrency and jobs, and each run with its counts', () => {
    const text = formatQueueStatus(
      {
        workers: [
          {
            id: 'box-1-ab',
            host: 'box',
            pid: 1,
            concurrency: 4,
            engine: 'unix:///var/run/docker.sock',
            jobs: ['r1|0|t'],
            startedAt: '2026-12-03T00:00:00.000Z',
            beatAt: '2026-12-03T00:00:10.000Z',
          },
        ],
        runs: [{ runId: 'r1', waiting: 3, active: 1, done: 5, failed: 1, total: 10, coordinator: 'box:7' }],
      },
      Date.parse('2026-12-03T00:01:00.000Z'),
    );
    expect(text).toContain('1 worker(s) alive');
    expect(text).toMatch(/box-1-ab +host box +concurrency 4 .* up 60s +jobs r1\|0\|t/);
    expect(text).toMatch(/r1 +waiting 3 +active 1 +done 5 of 10 +failed 1 +\(coordinator box:7\)/);
  });
});
