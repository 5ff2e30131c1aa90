// The string-width every bundled package gets (scripts/build.js aliases it here): printable ASCII, which is
// nearly all of the help text, is one column a character; anything else goes to string-width itself. The help
// screen measures every line, and the full measure was a tenth of the time `hotmess --help` took.
import stringWidthFull from '../node_modules/string-width/index.js';

const printableAscii = /^[\x20-\x7e]*$/;

export default function stringWidth(text, options) {
  return typeof text === 'string' && printableAscii.test(text) ? text.length : stringWidthFull(text, options);
}
