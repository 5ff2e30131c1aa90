import type { ImagePlanEntry } from '../images/plan.ts';
import type { DryRunPlan } from '../run/dry-run.ts';
import { fmtBytes, table } from './ui.ts';

/** Image rows shown one by one; the rest are counted. */
const shownImages = 20;

/** `run --dry-run`'s report: tasks, unrolls, images to pull with their sizes, and the most the run may cost. */
export function formatDryRun(plan: DryRunPlan): string {
  const lines = [
    'hotmess run --dry-run: nothing was started, pulled, built or written.',
    `tasks     ${plan.tasks}`,
    `unrolls   ${plan.unrollsPerTask} per task, ${plan.unrolls} in all, ${plan.concurrency} at a time`,
    `model     ${plan.model}, ${priceText(plan)}`,
    `images    ${imageSummary(plan.images)}`,
    `cost      ${costText(plan)}`,
    '',
    table([
      ['task', 'image', 'source', 'size'],
      ...plan.images
        .slice(0, shownImages)
        .map((e) => [e.instance_id, e.image ?? '(unknown)', sourceText(e), sizeText(e)]),
    ]),
  ];
  if (plan.images.length > shownImages) lines.push(`… and ${plan.images.length - shownImages} more tasks`);
  return `${lines.join('\n')}\n`;
}

function priceText(plan: DryRunPlan): string {
  if (!plan.price) return `no price known (its turns would be counted as $0: give --prices)`;
  if (plan.simulated && plan.price.input === 0 && plan.price.output === 0) return 'simulated, free';
  return `$${plan.price.input} in / $${plan.price.output} out per million tokens (price table of ${plan.pricesAsOf} or --prices)`;
}

function imageSummary(images: readonly ImagePlanEntry[]): string {
  const pulls = images.filter((e) => e.source === 'pull');
  const sized = pulls.filter((e) => e.downloadBytes !== null);
  const download = sized.reduce((sum, e) => sum + (e.downloadBytes ?? 0), 0);
  const local = images.filter((e) => e.source === 'local');
  const builds = images.filter((e) => e.source === 'build');
  const unbuilt = builds.filter((e) => !e.present).length;
  const sizes =
    sized.length === 0
      ? 'sizes unknown'
      : `${fmtBytes(download)} to download${sized.length < pulls.length ? ` for ${sized.length} of them, the others' sizes unknown` : ''}`;
  const parts = [
    ...(pulls.length > 0 ? [`${pulls.length} to pull (${sizes})`] : []),
    ...(local.length > 0
      ? [`${local.length} present (${fmtBytes(local.reduce((sum, e) => sum + (e.localBytes ?? 0), 0))} on disk)`]
      : []),
    ...(builds.length > 0 ? [`${builds.length} built from source (${unbuilt} to build)`] : []),
  ];
  const notes = [...new Set(pulls.map((e) => e.note).filter((n) => n !== undefined))];
  return parts.join(', ') + (notes.length > 0 ? `; ${notes.slice(0, 2).join('; ')}` : '');
}

function costText(plan: DryRunPlan): string {
  const usd = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const { cost } = plan;
  if (!cost)
    return `unbounded: the price table does not know ${plan.model}, so --max-cost and --max-run-cost see every turn as free (give --prices)`;
  if (cost.runUsd === 0) return '$0.00 at most (every token is free)';
  const turn = `one turn is at most ${usd(cost.turnUsd)} (${plan.contextTokens} tokens in, ${plan.outputTokens} out)`;
  const attempts = plan.attempts > 1 ? ` over up to ${plan.attempts} attempts` : '';
  switch (cost.by) {
    case 'max-run-cost':
      return `at most ${usd(cost.runUsd)}: --max-run-cost ${usd(plan.maxRunCostUsd ?? 0)} stops the run, and the ${plan.concurrency} unrolls running then finish, at most ${usd(cost.unrollUsd)} each${attempts}; ${turn}`;
    case 'max-cost':
      return `at most ${usd(cost.runUsd)}: ${plan.unrolls} unrolls of at most ${usd(cost.unrollUsd)} each${attempts} (--max-cost ${usd(plan.maxCostUsd)} plus the turn that reaches it); ${turn}`;
    case 'messages':
      return `at most ${usd(cost.runUsd)}: ${plan.unrolls} unrolls of at most ${usd(cost.unrollUsd)} each${attempts}, bounded only by the message limit (give --max-cost or --max-run-cost); ${turn}`;
  }
}

function sourceText(e: ImagePlanEntry): string {
  if (e.source === 'pull')
    return `pull from ${e.registry ?? '?'}${e.pull && e.pull !== e.image ? ` as ${e.pull}` : ''}`;
  if (e.source === 'build') return e.present ? 'built already' : 'build';
  return 'present';
}

function sizeText(e: ImagePlanEntry): string {
  if (e.source === 'pull')
    return e.downloadBytes === null ? (e.note ?? 'unknown') : `${fmtBytes(e.downloadBytes)} download`;
  return e.localBytes === undefined ? '' : `${fmtBytes(e.localBytes)} on disk`;
}
