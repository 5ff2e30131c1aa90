import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { harnessDir } from '../paths.ts';

export interface PromptTemplates {
  system: string;
  instance: string;
}

/** Loads the prompt templates from a directory (default harness/prompts): system.md and instance.md. */
export async function loadPromptTemplates(dir = path.join(harnessDir(), 'prompts')): Promise<PromptTemplates> {
  const read = async (name: string) => {
    try {
      return await readFile(path.join(dir, name), 'utf8');
    } catch {
      throw new InputError(`Prompt template ${path.join(dir, name)} cannot be read.`, path.join(dir, name));
    }
  };
  return { system: await read('system.md'), instance: await read('instance.md') };
}

/** Fills `{{name}}` placeholders; an unknown placeholder is an error, not silently empty. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined)
      throw new InputError(`The prompt template uses {{${key}}}, which hotmess does not provide.`);
    return value;
  });
}
