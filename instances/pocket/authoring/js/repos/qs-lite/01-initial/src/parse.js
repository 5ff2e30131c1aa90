import { decode } from './utils.js';

const defaults = {
  delimiter: '&',
  ignoreQueryPrefix: false,
  parameterLimit: 1000,
};

export function parse(input, opts = {}) {
  const options = { ...defaults, ...opts };
  const result = {};
  if (typeof input !== 'string' || input === '') return result;

  const query = options.ignoreQueryPrefix && input.startsWith('?') ? input.slice(1) : input;
  for (const part of query.split(options.delimiter, options.parameterLimit)) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    if (!key) continue;
    const value = eq === -1 ? '' : decode(part.slice(eq + 1));
    if (Object.prototype.hasOwnProperty.call(result, key)) {
      result[key] = [].concat(result[key], value);
    } else {
      result[key] = value;
    }
  }
  return result;
}
