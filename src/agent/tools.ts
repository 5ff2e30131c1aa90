import type { ToolSpec } from '../models/types.ts';

export const BASH_TOOL = 'bash';
export const SUBMIT_TOOL = 'submit';

/** The agent's only two tools, as in the paper's plain ReAct setup: a shell, and a way to say "done". */
export const agentTools: ToolSpec[] = [
  {
    name: BASH_TOOL,
    description: 'Run one bash command in the repository and return its exit code, stdout and stderr.',
    parameters: {
      type: 'object',
      properties: { command: { type: 'string', description: 'The command to run' } },
      required: ['command'],
      additionalProperties: false,
    },
  },
  {
    name: SUBMIT_TOOL,
    description: 'Submit your changes to the work tree as your final answer. Call it once, when you are done.',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
  },
];
