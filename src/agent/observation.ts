import type { ExecResult } from '../sandbox/types.ts';

/** Put before the observation of a command a person edited under `run-one --step`, so the model knows what ran. */
export function editedNote(command: string): string {
  return `[A person replaced your command with: ${command}]\n`;
}

/** An observation and how many characters the middle cut took out of it (0 when it fitted). */
export interface Observation {
  text: string;
  cutChars: number;
}

/**
 * What the model sees of a command: exit code, then stdout and stderr. Long output is cut in the middle
 * (the start and the end are usually what matters) with a note saying how much was cut.
 */
export function formatObservation(result: ExecResult, maxChars: number): Observation {
  const parts: string[] = [];
  if (result.timedOut)
    parts.push(`The command timed out after ${(result.durationMs / 1000).toFixed(0)} s and was killed.`);
  else parts.push(`exit code ${result.exitCode ?? 'unknown'}`);
  const stderr = stripHotmessNote(result.stderr);
  if (result.stdout) parts.push(`<stdout>\n${result.stdout}${result.stdout.endsWith('\n') ? '' : '\n'}</stdout>`);
  if (stderr) parts.push(`<stderr>\n${stderr}${stderr.endsWith('\n') ? '' : '\n'}</stderr>`);
  if (!result.stdout && !stderr) parts.push('(no output)');
  if (result.truncated) parts.push(sandboxCapNote(result, stderr));
  const note = hotmessNote(result.stderr);
  if (note) parts.push(note);
  return cutMiddle(parts.join('\n'), maxChars);
}

/** The sandbox capped the output before the agent saw it; say how much it dropped when it counted the total. */
function sandboxCapNote(result: ExecResult, stderr: string): string {
  if (result.totalBytes === undefined) return '[The sandbox kept only the first part of a very large output.]';
  const kept = Buffer.byteLength(result.stdout) + Buffer.byteLength(stderr);
  const dropped = Math.max(0, result.totalBytes - kept);
  return `[The sandbox kept only the first part of a very large output: ${dropped} of its ${result.totalBytes} bytes were dropped.]`;
}

export function cutMiddle(text: string, maxChars: number): Observation {
  if (text.length <= maxChars) return { text, cutChars: 0 };
  const keep = Math.max(0, maxChars - 80);
  const head = Math.ceil(keep / 2);
  const tail = Math.floor(keep / 2);
  const cut = text.length - head - tail;
  return {
    text: `${text.slice(0, head)}\n[... ${cut} characters cut from the middle of this output ...]\n${text.slice(text.length - tail)}`,
    cutChars: cut,
  };
}

const notePattern = /\n?\[hotmess: [^\]]*\]$/;

function hotmessNote(stderr: string): string | undefined {
  const m = notePattern.exec(stderr);
  return m ? m[0].trim().replace('[hotmess: ', '[') : undefined;
}

function stripHotmessNote(stderr: string): string {
  return stderr.replace(notePattern, '');
}
