import { benchPipeline } from './pipeline.ts';
import { benchPull } from './pull.ts';
import { benchQueue } from './queue.ts';
import { benchReport } from './report.ts';
import { benchSandbox } from './sandbox.ts';
import { benchStartup } from './startup.ts';
import { benchStats } from './stats.ts';

/**
 * `npm run bench`: every benchmark in one process, so each ratio compares figures measured in the same run
 * on the same machine. Pass names to run only some: startup, sandbox, pipeline, stats, report, pull, queue.
 */
const all = ['startup', 'sandbox', 'pipeline', 'stats', 'report', 'pull', 'queue'] as const;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = wanted.length > 0 ? all.filter((b) => wanted.includes(b)) : [...all];
const results: Record<string, Record<string, number>> = {};

for (const name of selected) {
  console.log(`\n=== ${name}`);
  switch (name) {
    case 'startup':
      results.startup = await benchStartup();
      break;
    case 'sandbox':
      results.sandbox = await benchSandbox();
      break;
    case 'pipeline':
      results.pipeline = await benchPipeline();
      break;
    case 'stats':
      results.stats = await benchStats();
      break;
    case 'report':
      results.report = await benchReport();
      break;
    case 'pull':
      results.pull = await benchPull();
      break;
    case 'queue':
      results.queue = await benchQueue();
      break;
  }
}

console.log('\n=== summary (figures measured above, in this run)');
console.log(JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v), 2));
process.exit(0);
