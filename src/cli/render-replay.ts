import type pc from 'picocolors';
import type { ActionComparison, ReplayReport } from '../debug/replay.ts';

type Colours = ReturnType<typeof pc.createColors>;

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const exit = (code: number | null | undefined) => (code === null ? 'timed out' : `exit ${code ?? '?'}`);

/** One line per replayed action: ✓ when exit code and output match the record, ✗ and what differs when not. */
export function actionLine(c: Colours, x: ActionComparison): string {
  const same = x.sameExit && x.sameOutput;
  const mark = same ? c.green('✓') : c.red('✗');
  const what = same
    ? c.dim(`${exit(x.replayedExit)} · ${Math.round(x.replayedMs)} ms`)
    : c.red(
        [
          x.sameExit ? '' : `${exit(x.recordedExit)} recorded, ${exit(x.replayedExit)} now`,
          x.sameOutput ? '' : 'output differs',
        ]
          .filter(Boolean)
          .join('; '),
      );
  return `${mark} [${x.action.index}] ${oneLine(x.action.command, 60)}  ${what}`;
}

/** The end of `hotmess replay`: the first divergence in full, then the final state and its grade against the record. */
export function renderReplayReport(c: Colours, r: ReplayReport): string {
  const out: string[] = [''];
  const first = r.firstDivergence;
  if (first === undefined) {
    out.push(c.green(`No divergence: all ${r.comparisons.length} actions gave the recorded exit code and output.`));
  } else {
    out.push(
      c.red(
        `First divergence at action ${first.action.index} (turn ${first.action.turn}); ${r.divergences} of ${r.comparisons.length} actions diverged.`,
      ),
    );
    out.push(`  $ ${first.action.command.split('\n').join('\n    ')}`);
    if (!first.sameExit)
      out.push(`  exit code: recorded ${exit(first.recordedExit)}, replayed ${exit(first.replayedExit)}`);
    if (first.difference) {
      out.push(`  output first differs at line ${first.difference.line}:`);
      out.push(c.red(`    recorded: ${first.difference.recorded}`));
      out.push(c.green(`    replayed: ${first.difference.replayed}`));
    }
    out.push(
      c.dim(
        '  A command whose output changes from run to run makes the environment a source of variance, not the agent.',
      ),
    );
  }
  out.push(
    r.samePatch
      ? 'Final state: the work tree holds the recorded patch.'
      : c.red('Final state: the work tree differs from the recorded patch.'),
  );
  const g = r.grade;
  if (g === null) return `${out.join('\n')}\nNot graded (--no-grade).\n`;
  const now = `RESOLVED_${g.replayed.resolution} (grading ${g.replayed.gradingStatus})`;
  if (g.recorded === null) out.push(`Graded now: ${now}; the record has no grade to compare with.`);
  else if (g.agrees) out.push(c.green(`Graded now: ${now}, as recorded.`));
  else {
    out.push(
      c.red(`Graded now: ${now}; recorded RESOLVED_${g.recorded.resolution} (grading ${g.recorded.gradingStatus}).`),
    );
    for (const t of g.disagreeing)
      out.push(`  ${t.id}: ${t.recorded ? 'passed' : 'failed'} in the record, ${t.replayed ? 'passes' : 'fails'} now`);
  }
  return `${out.join('\n')}\n`;
}
