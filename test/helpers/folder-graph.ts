import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';

/** Edges between the top-level folders of a source tree: `from → to`, with one importing file as evidence. */
export type FolderGraph = Map<string, Map<string, string>>;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The top-level folder of `file` under `root`, or undefined for a file directly in `root` or outside it. */
function topFolder(root: string, file: string): string | undefined {
  const parts = path.relative(root, file).split(path.sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : undefined;
}

/** Reads every import, re-export and dynamic import of the .ts files under `root` (TypeScript's own pre-parser). */
export async function folderGraph(root: string): Promise<FolderGraph> {
  const graph: FolderGraph = new Map();
  for (const file of await sourceFiles(root)) {
    const from = topFolder(root, file);
    if (!from) continue;
    const { importedFiles } = ts.preProcessFile(await readFile(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = topFolder(root, path.resolve(path.dirname(file), fileName));
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, path.relative(root, file));
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every cycle of folders, each as a path `a → b → … → a` starting at its smallest name, found once. */
export function folderCycles(graph: FolderGraph): string[][] {
  const cycles = new Map<string, string[]>();
  const walk = (start: string, node: string, trail: string[]) => {
    for (const next of graph.get(node)?.keys() ?? []) {
      if (next === start) cycles.set(trail.join(' '), [...trail, start]);
      else if (next > start && !trail.includes(next)) walk(start, next, [...trail, next]);
    }
  };
  for (const start of [...graph.keys()].sort()) walk(start, start, [start]);
  return [...cycles.values()];
}
