import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentTools } from '../../test/helpers/model-loop.ts';
import { checkToolInput, parseToolArguments } from './tool-input.ts';

describe('tool input checks', () => {
  it('accepts valid input and reports every kind of bad input as a parseError', () => {
    expect(checkToolInput(agentTools, 'bash', { command: 'ls' })).toEqual({ arguments: { command: 'ls' } });
    expect(checkToolInput(agentTools, 'submit', {})).toEqual({ arguments: {} });
    expect(checkToolInput(agentTools, 'bash', { cmd: 'ls' }).parseError).toMatch(
      /^Invalid arguments for bash: command: /,
    );
    expect(checkToolInput(agentTools, 'bash', { command: 3 }).parseError).toMatch(/command: .*string/);
    expect(checkToolInput(agentTools, 'bash', 'ls')).toEqual({
      arguments: '"ls"',
      parseError: 'The arguments of bash must be a JSON object.',
    });
    expect(checkToolInput(agentTools, 'python', {}).parseError).toBe(
      'Unknown tool "python"; the tools are: bash, submit.',
    );
  });

  it('parses OpenAI argument strings, keeping the raw text when they are not JSON', () => {
    expect(parseToolArguments(agentTools, 'bash', '{"command":"ls -la"}')).toEqual({
      arguments: { command: 'ls -la' },
    });
    expect(parseToolArguments(agentTools, 'submit', '')).toEqual({ arguments: {} });
    const cut = parseToolArguments(agentTools, 'bash', '{"command": "ls');
    expect(cut.arguments).toBe('{"command": "ls');
    expect(cut.parseError).toMatch(/^The arguments of bash are not valid JSON/);
  });

  it('never throws, whatever the model sends', () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.constant('bash'), fc.constant('submit'), fc.string()), (text, name) => {
        const result = parseToolArguments(agentTools, name, text);
        expect(result.parseError === undefined || typeof result.parseError === 'string').toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = checkToolInput(agentTools, 'bash', value);
        if (result.parseError === undefined)
          expect(typeof (result.arguments as { command: unknown }).command).toBe('string');
      }),
    );
  });
});
