import type pc from 'picocolors';
import { table } from './ui.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';
import { transcript, type ActionView } from '../debug/actions.ts';
import type { TaskSummary } from '../debug/summary.ts';
import type { StoredTrajectory } from '../debug/trajectory-file.ts';

type Colours = ReturnType<typeof pc.createColors>;

const PATCH_LINES = 40;

function outcomeColour(c: Colours, outcome: string): (text: string) => string {
  if (outcome === 'RESOLVED_FULL') return c.green;
  if (outcome === 'RESOLVED_PARTIAL') return c.yellow;
  return c.red;
}

export function colourDiff(c: Colours, diff: string): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff --git')) return c.bold(line);
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      if (line.startsWith('@@')) return c.cyan(line);
      return line;
    })
    .join('\n');
}

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

/** `hotmess show <run> <instance>`: every unroll, the patch groups and the test-by-unroll matrix. */
export function renderSummary(c: Colours, runId: string, s: TaskSummary): string {
  const out: string[] = [];
  const n = s.rows.length;
  out.push(
    c.bold(`${s.instanceId}`) +
      ` · run ${runId} · ${plural(n, 'unroll')} · ${s.resolved} resolved (${n ? Math.round((100 * s.resolved) / n) : 0}%)` +
      ` · ${plural(s.groups.length, 'distinct patch', 'distinct patches')}${s.limitStopped ? ` · ${s.limitStopped} stopped by a limit` : ''}`,
  );
  out.push('');
  out.push(
    table([
      ['unroll', 'outcome', 'actions', 'stop reason', 'cost', 'patch', 'tests passed'],
      ...s.rows.map((r) => [
        String(r.unroll),
        outcomeColour(c, r.outcome)(r.outcome),
        String(r.actions),
        r.stopReason,
        `$${r.costUsd.toFixed(4)}`,
        r.patch,
        r.gradingStatus === 'graded' || r.gradingStatus === 'no_patch'
          ? `${r.passed}/${r.tests}`
          : `${r.passed}/${r.tests} (${r.gradingStatus})`,
      ]),
    ]),
  );
  out.push('');
  out.push(c.bold('Patches') + c.dim(' (the same normalised diff has the same letter)'));
  for (const g of s.groups) {
    const what = g.normalised === '' ? 'no change' : `${g.files.join(', ')} +${g.added} −${g.removed}`;
    out.push(`  ${c.bold(g.label)}  ${plural(g.unrolls.length, 'unroll')} (${g.unrolls.join(', ')})  ${what}`);
  }
  for (const g of s.groups) {
    if (g.normalised === '') continue;
    const lines = g.patch.trimEnd().split('\n');
    out.push('');
    out.push(c.bold(`Patch ${g.label}`) + c.dim(` (unroll ${g.unrolls[0]})`));
    out.push(colourDiff(c, lines.slice(0, PATCH_LINES).join('\n')));
    if (lines.length > PATCH_LINES)
      out.push(
        c.dim(`… ${lines.length - PATCH_LINES} more lines: hotmess show ${runId} ${s.instanceId} ${g.unrolls[0]}`),
      );
  }
  out.push('');
  out.push(c.bold('Tests × unrolls') + c.dim(' (✓ passed, ✗ failed, · no result)'));
  const header = ['', 'test', ...s.unrolls.map(String), 'pass rate'];
  const rows = s.matrix.map((m) => [
    m.category === 'FAIL_TO_PASS' ? 'F2P' : 'P2P',
    m.id,
    ...m.passes.map((p) => (p === null ? c.dim('·') : p ? c.green('✓') : c.red('✗'))),
    `${Math.round(m.passRate * 100)}%`,
  ]);
  out.push(table([header, ...rows]));
  return `${out.join('\n')}\n`;
}

function status(c: Colours, a: ActionView): string {
  if (a.rejected !== undefined) return c.red(`rejected: ${a.rejected}`);
  if (!a.isBash) return c.dim(a.observation ?? '');
  const code = a.timedOut
    ? c.red('timed out')
    : a.exitCode === 0
      ? c.green('exit 0')
      : c.red(`exit ${a.exitCode ?? '?'}`);
  return `${code} · ${Math.round(a.durationMs ?? 0)} ms`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

/** `hotmess show <run> <instance> <unroll>`: the whole trajectory, thought by thought and action by action. */
export function renderTrajectory(c: Colours, t: StoredTrajectory, record: UnrollRecord | undefined): string {
  const out: string[] = [];
  const outcome = record
    ? record.infra_error !== null
      ? c.red(`infrastructure failure: ${record.infra_error}`)
      : outcomeColour(c, `RESOLVED_${record.resolution}`)(`RESOLVED_${record.resolution}`) +
        ` (grading ${record.grading_status})`
    : c.yellow('not graded (no record in unrolls.jsonl)');
  out.push(
    c.bold(`${t.instanceId} · unroll ${t.unroll}`) +
      ` · ${t.model}${t.simulated ? ' (simulated)' : ''} · seed ${t.seed} · ${plural(t.stats.actions, 'action')}, ${plural(t.stats.turns, 'turn')} · ` +
      `${(t.stats.wallMs / 1000).toFixed(1)} s · $${t.stats.costUsd.toFixed(4)}`,
  );
  out.push(`outcome: ${outcome}`);
  out.push('');
  for (const e of transcript(t)) {
    if (e.kind === 'prompt') {
      out.push(c.magenta(`── ${e.role} prompt ──`));
      out.push(c.dim(e.text.trimEnd()));
    } else if (e.kind === 'thought') {
      out.push(c.magenta(`── turn ${e.turn} ──`));
      if (e.reasoning) out.push(c.dim(indent(e.reasoning.trimEnd(), '  (reasoning) ')));
      if (e.text.trim()) out.push(e.text.trimEnd());
    } else {
      const a = e.action;
      const edited = a.editedFrom === undefined ? '' : c.yellow(` (edited; the model proposed: ${a.editedFrom})`);
      out.push(`${c.bold(`[${a.index}]`)} ${c.cyan(a.name)}${edited}`);
      out.push(`  $ ${a.command.split('\n').join('\n    ')}`);
      out.push(`  ${status(c, a)}`);
      if (a.isBash && a.rejected === undefined && a.observation !== undefined) {
        const body = a.observation.replace(/^exit code \S+\n?/, '');
        out.push(c.dim(indent(body.trimEnd(), '  │ ')));
      }
    }
  }
  out.push('');
  out.push(`${c.bold('stopped:')} ${t.stopReason}: ${t.stopDetail}`);
  out.push(c.bold('patch:') + (t.patch.trim() === '' ? ' (no change)' : ''));
  if (t.patch.trim() !== '') out.push(colourDiff(c, t.patch.trimEnd()));
  return `${out.join('\n')}\n`;
}
