/**
 * A diff reduced to what it changes: `index` lines, hunk positions and the context names after `@@` dropped,
 * trailing whitespace trimmed, and file sections in path order. Two unrolls that made the same edit get the same
 * text even when git's object ids or the hunk offsets differ. An empty diff normalises to ''.
 */
export function normalisePatch(patch: string): string {
  const sections: { path: string; lines: string[] }[] = [];
  let current: { path: string; lines: string[] } | undefined;
  for (const raw of patch.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const header = /^diff --git a\/(\S+) b\/(\S+)/.exec(line);
    if (header) {
      current = { path: header[2] ?? header[1] ?? '', lines: [line] };
      sections.push(current);
      continue;
    }
    if (/^index [0-9a-f]+\.\.[0-9a-f]+/.test(line)) continue;
    const text = line.startsWith('@@') ? '@@' : line;
    if (current) current.lines.push(text);
    else if (text !== '') {
      current = { path: '', lines: [text] };
      sections.push(current);
    }
  }
  sections.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sections
    .map((s) => s.lines.join('\n').replace(/\n+$/, ''))
    .filter((s) => s !== '')
    .join('\n');
}

export interface PatchGroup {
  /** A, B, C… by size (largest first); the empty patch is labelled '-'. */
  readonly label: string;
  readonly normalised: string;
  /** The diff as its first unroll wrote it (hunk positions kept), to show. */
  readonly patch: string;
  readonly unrolls: number[];
  readonly files: string[];
  readonly added: number;
  readonly removed: number;
}

/** Groups unrolls by identical normalised patch, largest group first (ties: lowest unroll first). */
export function groupPatches(patches: readonly { unroll: number; patch: string }[]): PatchGroup[] {
  const byText = new Map<string, { unroll: number; patch: string }[]>();
  for (const p of [...patches].sort((a, b) => a.unroll - b.unroll)) {
    const key = normalisePatch(p.patch);
    const list = byText.get(key);
    if (list) list.push(p);
    else byText.set(key, [p]);
  }
  const groups = [...byText].map(([normalised, members]) => ({
    normalised,
    patch: members[0]?.patch ?? '',
    unrolls: members.map((m) => m.unroll),
  }));
  groups.sort((a, b) => b.unrolls.length - a.unrolls.length || (a.unrolls[0] ?? 0) - (b.unrolls[0] ?? 0));
  let next = 0;
  return groups.map((g) => {
    const lines = g.normalised.split('\n');
    return {
      label: g.normalised === '' ? '-' : letters(next++),
      normalised: g.normalised,
      patch: g.patch,
      unrolls: g.unrolls,
      files: [...g.normalised.matchAll(/^diff --git a\/\S+ b\/(\S+)/gm)].map((m) => m[1] ?? ''),
      added: lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length,
      removed: lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length,
    };
  });
}

/** 0 → A, 25 → Z, 26 → AA. */
function letters(n: number): string {
  let out = '';
  let k = n;
  do {
    out = String.fromCharCode(65 + (k % 26)) + out;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return out;
}
