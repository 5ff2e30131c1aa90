/**
 * The bash side of the persistent shell protocol. Two functions are defined once per shell: `__hm_run`
 * reads the command text (terminated by NUL) from the shell's own stdin and evals it; `__hm_end` saves
 * the cwd and exported environment to tmpfs (so a killed or exited shell can be restored) and prints an
 * end marker with the exit code on stdout and on stderr. Per command only one short line is sent, since
 * bash reads a pipe a byte at a time (which is also what leaves the command text for `read` to take).
 * A `return` in the command returns from `__hm_run`, and `__hm_end` still reports its status.
 */
export function initScript(readyToken: string): string {
  return [
    `__hm_sd=/dev/shm/.hotmess-shell; { mkdir -p $__hm_sd && [ -w $__hm_sd ]; } 2>/dev/null || { __hm_sd=/tmp/.hotmess-shell; mkdir -p $__hm_sd 2>/dev/null; }`,
    `if [ -f $__hm_sd/env ]; then . $__hm_sd/env 2>/dev/null; fi`,
    `if [ -f $__hm_sd/cwd ]; then cd "$(cat $__hm_sd/cwd)" 2>/dev/null; fi`,
    `__hm_run() { IFS= read -r -d '' __hm_cmd; eval "$__hm_cmd" </dev/null; }`,
    `__hm_end() { export -p >$__hm_sd/env 2>/dev/null; printf '%s' "$PWD" >$__hm_sd/cwd 2>/dev/null; printf '\\n__HM_END_%s_%d\\n' "$1" "$2"; printf '\\n__HM_END_%s_\\n' "$1" >&2; }`,
    // field 5 of /proc/<pid>/stat is the process group we kill on timeout
    `read -r _ _ _ _ __hm_pgid _ < /proc/$$/stat`,
    `printf '\\n__HM_READY_${readyToken}_%s\\n' "$__hm_pgid"`,
    '',
  ].join('\n');
}

/** The line that runs the command text following it; `env` applies to this command only. */
export function commandLine(token: string, opts: { cwd?: string; env?: Record<string, string> }): string {
  const assigns = Object.entries(opts.env ?? {})
    .map(([k, v]) => `${k}=${shellQuote(v)} `)
    .join('');
  if (opts.cwd) {
    return `__hm_p=$PWD; cd ${shellQuote(opts.cwd)} && ${assigns}__hm_run; __hm_r=$?; cd "$__hm_p"; __hm_end ${token} $__hm_r\n`;
  }
  return `${assigns}__hm_run; __hm_end ${token} $?\n`;
}

export function endMarker(token: string): Buffer {
  return Buffer.from(`\n__HM_END_${token}_`);
}

export function readyMarker(token: string): Buffer {
  return Buffer.from(`\n__HM_READY_${token}_`);
}

export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The first name that is not a valid environment variable name, if any. */
export function checkEnvNames(env: Record<string, string> | undefined): string | undefined {
  return Object.keys(env ?? {}).find((k) => !envName.test(k));
}
