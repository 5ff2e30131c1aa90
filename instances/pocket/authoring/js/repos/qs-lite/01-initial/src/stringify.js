import { encode } from './utils.js';

export function stringify(object, opts = {}) {
  const options = { delimiter: '&', addQueryPrefix: false, ...opts };
  if (object === null || typeof object !== 'object') return '';

  const parts = [];
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      parts.push(encode(key) + '=' + encode(item === null ? '' : String(item)));
    }
  }
  const joined = parts.join(options.delimiter);
  return options.addQueryPrefix && joined ? '?' + joined : joined;
}
