export { CsvError } from './errors.js';
export { createParser, parse } from './parse.js';
export { stringify } from './stringify.js';
