import { transcript } from '../debug/actions.ts';
import type { TaskSummary } from '../debug/summary.ts';
import type { StoredTrajectory } from '../debug/trajectory-file.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';
import { esc } from './charts/svg.ts';

/** The viewer pages' only styling: inline, no fonts or files fetched; <details> folds long parts without a script. */
export const pagesCss = `
body { font: 14px/1.45 system-ui, sans-serif; color: #1d1d1d; margin: 0 auto; padding: 0 24px 48px; max-width: 1180px; }
h1 { font-size: 20px; margin: 20px 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
nav { margin: 12px 0; font-size: 13px; } nav a { margin-right: 14px; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e6e6e6; padding: 3px 8px; text-align: left; white-space: nowrap; }
th { background: #f6f6f6; }
td.pass { color: #1a7f37; text-align: center; } td.fail { color: #c62828; text-align: center; font-weight: 700; }
td.none { color: #999; text-align: center; }
.FULL { color: #1a7f37; font-weight: 600; } .PARTIAL { color: #b26a00; font-weight: 600; } .NO, .INFRA { color: #c62828; font-weight: 600; }
pre { background: #f7f7f7; border: 1px solid #e6e6e6; padding: 6px 8px; overflow-x: auto; margin: 4px 0; font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
pre.diff .add { color: #116329; background: #e6ffec; display: block; } pre.diff .del { color: #82071e; background: #ffebe9; display: block; }
pre.diff .hunk { color: #0550ae; display: block; } pre.diff .file { font-weight: 700; display: block; }
.msg { border-left: 3px solid #ccc; padding: 2px 0 2px 10px; margin: 10px 0; }
.msg.prompt { border-color: #8250df; } .msg.thought { border-color: #0969da; } .msg.action { border-color: #57606a; }
.msg.action.edited { border-color: #d48806; } .msg .head { font-size: 12px; color: #555; }
.exit-ok { color: #1a7f37; } .exit-bad { color: #c62828; font-weight: 600; }
summary { cursor: pointer; color: #0969da; font-size: 12px; }
`;

function page(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(title)}</title><style>${pagesCss}</style></head><body>${body}</body></html>\n`
  );
}

/** A unified diff with a class per line kind. */
export function diffHtml(diff: string): string {
  const lines = diff.replace(/\n$/, '').split('\n');
  const cls = (l: string) =>
    l.startsWith('diff --git') || l.startsWith('+++') || l.startsWith('---')
      ? 'file'
      : l.startsWith('+')
        ? 'add'
        : l.startsWith('-')
          ? 'del'
          : l.startsWith('@@')
            ? 'hunk'
            : '';
  return `<pre class="diff">${lines.map((l) => (cls(l) ? `<span class="${cls(l)}">${esc(l)}</span>` : `${esc(l)}\n`)).join('')}</pre>`;
}

/** Text shown whole when short, folded in a <details> when long. */
function folded(text: string, maxLines = 25, maxChars = 2500): string {
  const lines = text.split('\n');
  if (lines.length <= maxLines && text.length <= maxChars) return `<pre>${esc(text)}</pre>`;
  const head = lines.slice(0, 8).join('\n');
  return `<pre>${esc(head)}</pre><details><summary>show all ${lines.length} lines (${text.length} characters)</summary><pre>${esc(text)}</pre></details>`;
}

const outcomeClass = (outcome: string) => (outcome === 'INFRA_FAILURE' ? 'INFRA' : outcome.replace('RESOLVED_', ''));

/** The task page: every unroll, the patch groups and the test-by-unroll matrix; unrolls link to their trajectories. */
export function taskPageHtml(runId: string, s: TaskSummary, hasTrajectory: ReadonlySet<number>): string {
  const rows = s.rows
    .map((r) => {
      const name = hasTrajectory.has(r.unroll)
        ? `<a href="${r.unroll}.html" data-unroll="${r.unroll}">unroll ${r.unroll}</a>`
        : `unroll ${r.unroll}`;
      return (
        `<tr><td>${name}</td><td class="${outcomeClass(r.outcome)}">${esc(r.outcome)}</td><td>${r.actions}</td>` +
        `<td>${esc(r.stopReason)}</td><td>$${r.costUsd.toFixed(4)}</td><td>${esc(r.patch)}</td><td>${r.passed}/${r.tests}` +
        `${r.gradingStatus === 'graded' || r.gradingStatus === 'no_patch' ? '' : ` (${esc(r.gradingStatus)})`}</td></tr>`
      );
    })
    .join('');
  const groups = s.groups
    .map((g) => {
      const what = g.normalised === '' ? 'no change' : `${esc(g.files.join(', '))} +${g.added} −${g.removed}`;
      return `<tr><td><b>${esc(g.label)}</b></td><td>${g.unrolls.length}</td><td>${g.unrolls.join(', ')}</td><td>${what}</td></tr>`;
    })
    .join('');
  const diffs = s.groups
    .filter((g) => g.normalised !== '')
    .map((g) => `<h3>Patch ${esc(g.label)} (unroll ${g.unrolls[0]})</h3>${diffHtml(g.patch)}`)
    .join('');
  const matrix =
    `<table class="matrix"><thead><tr><th></th><th>Test</th>${s.unrolls.map((u) => `<th>${u}</th>`).join('')}<th>Pass rate</th></tr></thead><tbody>` +
    s.matrix
      .map(
        (m) =>
          `<tr><td>${m.category === 'FAIL_TO_PASS' ? 'F2P' : 'P2P'}</td><td>${esc(m.id)}</td>` +
          m.passes
            .map((p) =>
              p === null ? '<td class="none">·</td>' : p ? '<td class="pass">✓</td>' : '<td class="fail">✗</td>',
            )
            .join('') +
          `<td>${Math.round(m.passRate * 100)}%</td></tr>`,
      )
      .join('') +
    `</tbody></table>`;
  const n = s.rows.length;
  return page(
    `${s.instanceId} · hotmess ${runId}`,
    `<nav><a href="../../report.html" data-nav="report">← report</a></nav>` +
      `<h1>${esc(s.instanceId)}</h1><p>${n} unrolls · ${s.resolved} resolved · ${s.groups.length} distinct patches · ${s.limitStopped} stopped by a limit</p>` +
      `<h2>Unrolls</h2><table class="unrolls"><thead><tr><th>Unroll</th><th>Outcome</th><th>Actions</th><th>Stop reason</th><th>Cost</th><th>Patch</th><th>Tests passed</th></tr></thead><tbody>${rows}</tbody></table>` +
      `<h2>Patches</h2><p>Unrolls with the same normalised diff share a letter: one wrong patch everywhere is bias, many different patches is variance.</p>` +
      `<table class="groups"><thead><tr><th>Patch</th><th>Unrolls</th><th>Which</th><th>Change</th></tr></thead><tbody>${groups}</tbody></table>${diffs}` +
      `<h2>Tests × unrolls</h2>${matrix}`,
  );
}

/** One unroll's trajectory as a conversation: folded prompts and long observations, the coloured patch, the grading log. */
export function trajectoryPageHtml(
  runId: string,
  t: StoredTrajectory,
  record: UnrollRecord | undefined,
  gradingLog: string,
  neighbours: { prev?: number; next?: number },
): string {
  const parts: string[] = [];
  for (const e of transcript(t)) {
    if (e.kind === 'prompt') {
      parts.push(`<div class="msg prompt"><div class="head">${e.role} prompt</div>${folded(e.text, 6, 600)}</div>`);
    } else if (e.kind === 'thought') {
      const reasoning = e.reasoning
        ? `<details><summary>reasoning</summary><pre>${esc(e.reasoning)}</pre></details>`
        : '';
      parts.push(
        `<div class="msg thought"><div class="head">turn ${e.turn}</div>${reasoning}<div>${esc(e.text)}</div></div>`,
      );
    } else {
      const a = e.action;
      const status =
        a.rejected !== undefined
          ? `<span class="exit-bad">rejected: ${esc(a.rejected)}</span>`
          : !a.isBash
            ? ''
            : a.timedOut
              ? '<span class="exit-bad">timed out</span>'
              : `<span class="${a.exitCode === 0 ? 'exit-ok' : 'exit-bad'}">exit ${a.exitCode ?? '?'}</span> · ${Math.round(a.durationMs ?? 0)} ms`;
      const edited =
        a.editedFrom === undefined ? '' : ` · edited by a person; the model proposed <code>${esc(a.editedFrom)}</code>`;
      const observation =
        a.isBash && a.rejected === undefined && a.observation !== undefined
          ? folded(a.observation.replace(/^exit code \S+\n?/, ''))
          : '';
      parts.push(
        `<div class="msg action${a.editedFrom === undefined ? '' : ' edited'}" id="action-${a.index}" data-action="${a.index}">` +
          `<div class="head">[${a.index}] ${esc(a.name)} · ${status}${edited}</div><pre>$ ${esc(a.command)}</pre>${observation}</div>`,
      );
    }
  }
  const outcome = record
    ? record.infra_error !== null
      ? `<span class="INFRA">infrastructure failure</span>: ${esc(record.infra_error)}`
      : `<span class="${record.resolution}">RESOLVED_${record.resolution}</span> (grading ${esc(record.grading_status)})`
    : 'not graded';
  const nav = [
    `<a href="index.html" data-nav="task">← ${esc(t.instanceId)}</a>`,
    `<a href="../../report.html" data-nav="report">report</a>`,
    neighbours.prev === undefined
      ? ''
      : `<a href="${neighbours.prev}.html" data-nav="prev">← unroll ${neighbours.prev}</a>`,
    neighbours.next === undefined
      ? ''
      : `<a href="${neighbours.next}.html" data-nav="next">unroll ${neighbours.next} →</a>`,
  ].join('');
  const log =
    gradingLog === ''
      ? '<p>No grading log (an empty patch is graded as "no change" without running the tests).</p>'
      : folded(capLog(gradingLog), 0, 0);
  return page(
    `${t.instanceId} unroll ${t.unroll} · hotmess ${runId}`,
    `<nav>${nav}</nav><h1>${esc(t.instanceId)} · unroll ${t.unroll}</h1>` +
      `<p>${esc(t.model)}${t.simulated ? ' (simulated agent)' : ''} · seed ${t.seed} · ${t.stats.actions} actions, ${t.stats.turns} turns, ${t.messages.length} messages · ` +
      `${(t.stats.wallMs / 1000).toFixed(1)} s · $${t.stats.costUsd.toFixed(4)} · stopped: ${esc(t.stopReason)} (${esc(t.stopDetail)}) · ${outcome}</p>` +
      `<h2>Conversation</h2><div class="conversation">${parts.join('')}</div>` +
      `<h2>Patch</h2>${t.patch.trim() === '' ? '<p>No change.</p>' : diffHtml(t.patch)}` +
      `<h2>Grading log</h2>${log}`,
  );
}

const LOG_CAP = 200_000;

/** A grading log may reach 32 MiB: the page keeps its first and last 100 kB. */
function capLog(log: string): string {
  if (log.length <= LOG_CAP) return log;
  const half = LOG_CAP / 2;
  return `${log.slice(0, half)}\n[... ${log.length - LOG_CAP} characters left out here; the whole log is in grading/ of the run ...]\n${log.slice(-half)}`;
}
