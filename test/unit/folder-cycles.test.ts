import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderCycles, folderGraph, type FolderGraph } from '../helpers/folder-graph.ts';

const src = path.resolve(import.meta.dirname, '../../src');

function graphOf(edges: Record<string, string[]>): FolderGraph {
  return new Map(Object.entries(edges).map(([from, tos]) => [from, new Map(tos.map((to) => [to, `${from}/x.ts`]))]));
}

describe('folders of src/', () => {
  it('import each other in one direction only', async () => {
    const graph = await folderGraph(src);
    const cycles = folderCycles(graph).map((cycle) =>
      cycle
        .slice(1)
        .map((to, i) => `${cycle[i]} → ${to} (${graph.get(cycle[i] as string)?.get(to)})`)
        .join(', '),
    );
    expect(cycles).toEqual([]);
  });

  it('are read with every kind of import', async () => {
    const graph = await folderGraph(src);
    // Static, type-only and dynamic imports are all edges: cli loads run/sweep.ts lazily.
    expect(graph.get('cli')?.has('run')).toBe(true);
    expect(graph.get('models')?.has('sim')).toBe(true);
  });
});

describe('folderCycles', () => {
  it('finds each cycle once, and none in a tree', () => {
    expect(folderCycles(graphOf({ a: ['b'], b: ['c'], c: ['a', 'd'], d: [] }))).toEqual([['a', 'b', 'c', 'a']]);
    expect(folderCycles(graphOf({ a: ['b'], b: ['a'], c: ['b'] }))).toEqual([['a', 'b', 'a']]);
    expect(folderCycles(graphOf({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([]);
  });
});
