import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import stringWidthFull from 'string-width';
// @ts-expect-error plain JavaScript of the build, without types
import stringWidth, { oneColumnText } from '../../scripts/string-width.js';

const measure = stringWidth as (text: unknown, options?: object) => number;
const fastSet = oneColumnText as RegExp;

describe('the fast string-width of the bundle', () => {
  it('takes a character as one column only where string-width says so', () => {
    let fast = 0;
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCodePoint(code);
      if (!fastSet.test(char)) continue;
      fast++;
      expect([code.toString(16), stringWidthFull(char)]).toEqual([code.toString(16), 1]);
    }
    expect(fast).toBeGreaterThan(1000);
  });

  it('agrees with string-width on any text, ANSI codes and wide characters included', () => {
    const chars = fc.oneof(
      fc.constantFrom(
        'a',
        ' ',
        '…',
        '’',
        '²',
        '→',
        '≤',
        'é',
        '\u00ad',
        '\u0301',
        '你',
        '😀',
        '\x1b[31m',
        '\x1b[0m',
        '\t',
      ),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }), fc.boolean(), (parts, narrow) => {
        const text = parts.join('');
        expect(measure(text, { ambiguousIsNarrow: narrow })).toBe(stringWidthFull(text, { ambiguousIsNarrow: narrow }));
        expect(measure(text)).toBe(stringWidthFull(text));
      }),
    );
  });
});
