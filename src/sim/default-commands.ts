/** Files a unified diff touches, in order of first appearance (new paths for renames). */
export function filesInPatch(patch: string): string[] {
  const files: string[] = [];
  for (const match of patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)) {
    const file = match[2] ?? match[1];
    if (file && !files.includes(file)) files.push(file);
  }
  if (files.length === 0) {
    for (const match of patch.matchAll(/^\+\+\+ b\/(\S+)/gm)) {
      if (match[1] && !files.includes(match[1])) files.push(match[1]);
    }
  }
  return files;
}

/** Exploration commands for a spec that lists none: look around the files the gold patch touches. */
export function defaultCommands(goldPatch: string): string[] {
  const commands = ['git status --short', 'ls', 'git log --oneline -5'];
  for (const file of filesInPatch(goldPatch)) {
    const quoted = shellQuote(file);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
    commands.push(
      `cat -n ${quoted} | head -80`,
      `grep -n "def \\|class \\|function " ${quoted} | head -40`,
      `ls ${shellQuote(dir)}`,
      `git log --oneline -3 -- ${quoted}`,
      `wc -l ${quoted}`,
    );
  }
  return commands;
}

export function shellQuote(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
