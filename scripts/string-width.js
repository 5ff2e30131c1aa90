// The string-width every bundled package gets (scripts/build.js aliases it here): text made only of characters
// one column wide whatever their neighbours (printable ASCII, Latin letters, dashes, quotes, ellipsis, arrows,
// math signs), which is all of the help text, is one column a character; anything else goes to string-width itself.
// The help screen measures every line, and the full measure (a segmenter and an emoji regex) was a tenth of the
// time `hotmess --help` took. string-width itself is loaded on first need, not bundled: it builds an
// Intl.Segmenter when loaded, which alone took 16 ms of every start. test/unit/string-width.test.ts checks the set
// against string-width.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let full;

export const oneColumnText = /^[\x20-\x7e\xa0-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u22ff]*$/;

export default function stringWidth(text, options) {
  const ambiguousWide = options?.ambiguousIsNarrow === false || options?.countAnsiEscapeCodes;
  return typeof text === 'string' && !ambiguousWide && oneColumnText.test(text)
    ? text.length
    : (full ??= require('string-width').default)(text, options);
}
