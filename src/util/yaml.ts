import { LineCounter, parseDocument } from 'yaml';
import { InputError } from '../errors.ts';

/** A YAML (or JSON) file's value, or an InputError naming the file and line of its first syntax error. */
export function parseYamlText(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lineCounter.linePos(yamlError.pos[0]).line;
    throw new InputError(
      `${file}:${line}: not valid YAML: ${yamlError.message.split('\n')[0]?.replace(/\.$/, '')}.`,
      file,
      line,
    );
  }
  return doc.toJS();
}
