import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';

// Values drawn by the two generators this class replaced (the simulated agent's keyed streams and the bootstrap's
// seeded ones): merging them changes neither stream, so stored runs and calibrated expectations still hold.
describe('Rng', () => {
  it('gives the keyed stream the simulated agent has always drawn', () => {
    const rng = Rng.fromKey('plan', 'a__a-1', 3);
    expect([rng.next(), rng.next(), rng.int(1000), rng.pick(['a', 'b', 'c', 'd', 'e'])]).toEqual([
      0.015886273329420386,
      0.18479075463967864,
      714,
      'd',
    ]);
  });

  it('gives the seeded stream the bootstrap has always drawn, one at a time or in bulk', () => {
    const rng = Rng.fromSeed(7);
    expect([rng.next32(), rng.next32()]).toEqual([0.19514828245155513, 0.36103195301257074]);
    const out = new Int32Array(8);
    Rng.fromSeed(11).drawFrom(Int32Array.from([10, 20, 30, 40, 50]), out);
    expect([...out]).toEqual([30, 40, 40, 20, 20, 20, 20, 20]);
    const one = Rng.fromSeed(11);
    expect([...out]).toEqual(Array.from({ length: 8 }, () => [10, 20, 30, 40, 50][Math.floor(one.next32() * 5)]));
  });

  it('gives independent streams for different keys and draws in range', () => {
    expect(Rng.fromKey('plan', 'a', 1).next()).not.toBe(Rng.fromKey('fault', 'a', 1).next());
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 1000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      expect(rng.int(3)).toBeLessThan(3);
    }
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});
