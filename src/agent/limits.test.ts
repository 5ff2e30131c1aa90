import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionCapacity } from './limits.ts';

/** The agent's own rule, replayed: a turn starts only if its reply and one observation still fit. */
function simulate(maxActions: number, maxMessages: number): number {
  let messages = 2;
  let actions = 0;
  for (;;) {
    if (messages + 2 > maxMessages) return actions;
    if (maxActions > 0 && actions >= maxActions) return actions;
    actions += 1;
    messages += 2;
  }
}

describe('actionCapacity', () => {
  it('matches the loop that enforces the limits', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.integer({ min: 1, max: 600 }), (maxActions, maxMessages) => {
        expect(actionCapacity({ maxActions, maxMessages })).toBe(simulate(maxActions, maxMessages));
      }),
    );
  });

  it('gives the paper’s 250-message budget 124 actions', () => {
    expect(actionCapacity({ maxActions: 0, maxMessages: 250 })).toBe(124);
  });
});
