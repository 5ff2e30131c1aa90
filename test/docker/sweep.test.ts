import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/paths.ts';
import { historyLineSchema } from '../../src/sweeps/history.ts';
import { webhookPayloadSchema } from '../../src/sweeps/webhook.ts';

/**
 * A small real sweep end to end (2 cells × 2 tasks × 1 unroll, the sim in Docker), through the CLI as cron runs
 * it: two starts together (one refused by the lock), the running one killed and resumed, then a second night
 * with the model shifted to the wrong patches, which must end in a regression exit code. Seed 7 resolves every
 * unroll of these two tasks; shifted from 0 actions, the sim writes only wrong patches, so every task drops.
 */
const cli = path.join(repoRoot, 'bin', 'hotmess.js');

const tasks = ['pocket__qs-lite-1', 'pocket__tinycache-1'];

function sweepFile(shift: boolean): string {
  return [
    'name: nightly-e2e',
    'tasks:',
    `  instances: ${path.join(repoRoot, 'instances', 'pocket')}`,
    `  instance_ids: [${tasks.join(', ')}]`,
    'unrolls: 1',
    'concurrency: 2',
    'seed: 7',
    'buckets: 2',
    'bootstrap: 200',
    'defaults:',
    `  sim_drift: ${shift ? 1 : 0}`,
    '  sim_drift_from: 0',
    'matrix:',
    '  model: [sim, "sim:openai"]',
    // Two tasks: the exact swap test reaches 1/4 at best, so this small sweep checks at level 0.5.
    'regression: {level: 0.5, resolve_rate: {drop: 0.03}}',
    '',
  ].join('\n');
}

async function lines(file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  return (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '').length;
}

describe('hotmess sweep (Docker, sim)', () => {
  it('refuses a second start, resumes a killed sweep, keeps the history and flags a shifted model', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hotmess-sweep-'));
    const logs = path.join(dir, 'logs');
    const night1 = path.join(dir, 'night1.yaml');
    const night2 = path.join(dir, 'night2.yaml');
    await writeFile(night1, sweepFile(false));
    await writeFile(night2, sweepFile(true));
    const env = { ...process.env, HOTMESS_LOGS: logs };
    const root = path.join(logs, 'sweeps', 'nightly-e2e');

    // Two starts together: the lock lets one through and refuses the other at once.
    const starts = [0, 1].map(() => execa('node', [cli, 'sweep', night1], { env, reject: false }));
    const refusedIndex = await Promise.race(starts.map((p, k) => p.then(() => k)));
    const refused = await (starts[refusedIndex] as (typeof starts)[number]);
    expect(refused.exitCode).toBe(75);
    expect(refused.stderr).toMatch(/Sweep nightly-e2e is already running in process \d+ .*, so this start is refused/);
    const first = starts[1 - refusedIndex] as (typeof starts)[number];

    // Killed once its first cell has a finished unroll: the night is left unfinished.
    const firstCell = path.join(root, new Date().toISOString().slice(0, 10), 'model-sim', 'unrolls.jsonl');
    for (let t = 0; t < 1200 && (await lines(firstCell)) < 1; t++) await new Promise((r) => setTimeout(r, 250));
    first.kill('SIGKILL');
    await first;
    const sweepIds = await readdir(root).then((names) => names.filter((n) => /^\d{4}-/.test(n)));
    expect(sweepIds).toHaveLength(1);
    const sweepDir = path.join(root, sweepIds[0] as string);
    expect(JSON.parse(await readFile(path.join(sweepDir, 'sweep.json'), 'utf8')).finished_at).toBeNull();

    // --resume goes on with the same sweep: every unroll once.
    const resumed = await execa('node', [cli, 'sweep', night1, '--resume'], { env, reject: false });
    expect(resumed.stderr).toMatch(/resuming sweep/);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(await readdir(root).then((n) => n.filter((x) => /^\d{4}-/.test(x)))).toHaveLength(1);
    for (const cell of ['model-sim', 'model-sim-openai']) {
      const records = (await readFile(path.join(sweepDir, cell, 'unrolls.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { instance_id: string; unroll: number; resolution: string });
      expect(records.map((r) => `${r.instance_id}#${r.unroll}`).sort()).toEqual(tasks.map((t) => `${t}#0`));
      expect(records.every((r) => r.resolution === 'FULL')).toBe(true);
    }
    expect(resumed.stdout).toMatch(/no regression/);

    // Night 2, shifted: a regression, exit 1, and the verdict POSTed to the webhook (a loopback server of the test's own).
    const received: string[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/verdict`;
    const shifted = await execa('node', [cli, 'sweep', night2], {
      env: { ...env, HOTMESS_SWEEP_WEBHOOK: hookUrl },
      reject: false,
    });
    hook.close();
    expect(received).toHaveLength(1);
    const posted = webhookPayloadSchema.parse(JSON.parse(received[0] as string));
    expect(posted.verdict).toBe('regression');
    expect(posted.report).toMatch(/trend\.html$/);
    expect(shifted.exitCode, shifted.stderr).toBe(1);
    expect(shifted.stdout).toMatch(/REGRESSION/);
    expect(shifted.stdout).toMatch(/resolve_rate −1\.000/);
    const history = (await readFile(path.join(root, 'history.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => historyLineSchema.parse(JSON.parse(l)));
    expect(history.map((h) => [h.cell, h.verdict])).toEqual([
      ['model-sim', 'no_baseline'],
      ['model-sim-openai', 'no_baseline'],
      ['model-sim', 'regression'],
      ['model-sim-openai', 'regression'],
    ]);
    expect(history[2]?.comparison?.figures.resolve_rate?.value).toBe(-1);
    expect(history[2]?.settings).toMatchObject({ model: 'sim', sim_drift: 1 });
    expect(history[0]?.tasks_revision).toMatch(/^[0-9a-f]{40}$/);
    const printed = await execa('node', [cli, 'sweep', 'history', 'nightly-e2e'], { env });
    expect(printed.stdout.split('\n').filter((l) => /model-sim/.test(l))).toHaveLength(4);
    expect(existsSync(path.join(root, 'trend.html'))).toBe(true);
  }, 900_000);
});
