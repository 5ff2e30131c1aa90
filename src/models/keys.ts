import { MissingApiKeyError } from './errors.ts';

/** Reads an API key from the environment; keys are never taken from flags or files, so they cannot end up in run.json. */
export function apiKeyFromEnv(variable: string, modelName: string): string {
  const value = process.env[variable]?.trim();
  if (!value) throw new MissingApiKeyError(variable, modelName);
  return value;
}

/** Replaces every occurrence of the secrets in a text: a last line of defence for messages built from server replies. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
