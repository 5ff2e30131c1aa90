import { z } from 'zod';
import type { ToolSpec } from './types.ts';

const objectSchema = z.record(z.string(), z.unknown());
const compiled = new WeakMap<ToolSpec, z.ZodType>();

function schemaOf(tool: ToolSpec): z.ZodType {
  let schema = compiled.get(tool);
  if (!schema) {
    schema = z.fromJSONSchema(tool.parameters as Parameters<typeof z.fromJSONSchema>[0]);
    compiled.set(tool, schema);
  }
  return schema;
}

/**
 * Checks a tool call's input (unknown, whatever the provider sent) against the tool's JSON Schema. A failure
 * is not thrown: it becomes the call's `parseError`, which the agent sends back to the model.
 */
export function checkToolInput(
  tools: readonly ToolSpec[],
  name: string,
  input: unknown,
): { arguments: Record<string, unknown> | string; parseError?: string } {
  const asObject = objectSchema.safeParse(input);
  const args = asObject.success ? asObject.data : (JSON.stringify(input) ?? String(input));
  const tool = tools.find((t) => t.name === name);
  if (!tool)
    return {
      arguments: args,
      parseError: `Unknown tool "${name}"; the tools are: ${tools.map((t) => t.name).join(', ')}.`,
    };
  if (!asObject.success) return { arguments: args, parseError: `The arguments of ${name} must be a JSON object.` };
  const checked = schemaOf(tool).safeParse(asObject.data);
  if (checked.success) return { arguments: asObject.data };
  const issue = checked.error.issues[0];
  const field = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  return {
    arguments: asObject.data,
    parseError: `Invalid arguments for ${name}: ${field}${issue?.message ?? 'invalid'}.`,
  };
}

/** OpenAI sends arguments as a JSON string, which may be cut off or otherwise malformed. */
export function parseToolArguments(
  tools: readonly ToolSpec[],
  name: string,
  text: string,
): { arguments: Record<string, unknown> | string; parseError?: string } {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch (err) {
    return {
      arguments: text,
      parseError: `The arguments of ${name} are not valid JSON (${err instanceof Error ? err.message : String(err)}).`,
    };
  }
  return checkToolInput(tools, name, value);
}
