import { describe, expect, it } from 'vitest';
import type { TrajectoryStep } from '../agent/trajectory.ts';
import { RunBudget, RunCostLimitError, bothObservers } from './run-budget.ts';

const step = (costUsd: number) => ({ costUsd }) as TrajectoryStep;

describe('RunBudget', () => {
  it('is crossed once, by the turn that reaches the limit, counting what earlier sessions spent', () => {
    const budget = new RunBudget(1, 0.25);
    let crossed = 0;
    const observer = budget.observer(() => (crossed += 1));
    for (const usd of [0.5, 0.2, 0.05, 0.3, 0.3])
      observer.onTurn?.(step(usd), { role: 'assistant', content: '', toolCalls: [] });
    expect(crossed).toBe(1);
    expect(budget.exceeded).toBe(true);
    expect(budget.spent).toBeCloseTo(1.6, 12);
  });

  it('is exceeded from the start when earlier sessions spent it all', () => {
    expect(new RunBudget(1, 1).exceeded).toBe(true);
    expect(new RunBudget(1, 0.99).exceeded).toBe(false);
  });

  it('stops with one sentence saying what was spent, what is kept and how to go on, exit code 7', () => {
    const budget = new RunBudget(5, 5.123);
    const err = budget.stop(12, '/logs/r1');
    expect(err).toBeInstanceOf(RunCostLimitError);
    expect(err.exitCode).toBe(7);
    expect(err.message).toBe(
      "The run's cost limit of $5 was reached ($5.12 spent); the 12 finished unrolls are kept in /logs/r1: to go on, resume with hotmess run --resume /logs/r1 --max-run-cost <a higher limit>.",
    );
  });

  it('tells both observers of every turn and action', () => {
    const seen: string[] = [];
    const a = { onTurn: () => seen.push('a turn'), onAction: () => seen.push('a action') };
    const b = { onTurn: () => seen.push('b turn') };
    const both = bothObservers(a, b);
    both?.onTurn?.(step(0), { role: 'assistant', content: '', toolCalls: [] });
    both?.onAction?.({ id: '1', name: 'bash', arguments: {} }, '', {} as never);
    expect(seen).toEqual(['a turn', 'b turn', 'a action']);
    expect(bothObservers(undefined, b)).toBe(b);
    expect(bothObservers(a, undefined)).toBe(a);
  });
});
