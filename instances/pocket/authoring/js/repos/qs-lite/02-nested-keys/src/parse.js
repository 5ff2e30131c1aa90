import { decode, merge } from './utils.js';

const defaults = {
  delimiter: '&',
  depth: 5,
  ignoreQueryPrefix: false,
  parameterLimit: 1000,
};

/**
 * Splits "a[b][c]" into ["a", "b", "c"]. Brackets past `depth` stay together as one
 * literal segment, so hostile input cannot build arbitrarily deep objects.
 */
function splitKey(key, options) {
  const open = key.indexOf('[');
  if (open <= 0) return [key];

  const segments = [key.slice(0, open)];
  const bracket = /^\[([^[\]]*)\]/;
  let rest = key.slice(open);
  let match;
  while (segments.length <= options.depth && (match = bracket.exec(rest))) {
    segments.push(match[1]);
    rest = rest.slice(match[0].length);
  }
  if (rest) segments.push(rest);
  return segments;
}

/** Builds the object for one key path, from the leaf outwards. */
function build(segments, value) {
  let leaf = value;
  for (let i = segments.length - 1; i >= 0; i--) {
    leaf = { [segments[i]]: leaf };
  }
  return leaf;
}

export function parse(input, opts = {}) {
  const options = { ...defaults, ...opts };
  let result = {};
  if (typeof input !== 'string' || input === '') return result;

  const query = options.ignoreQueryPrefix && input.startsWith('?') ? input.slice(1) : input;
  for (const part of query.split(options.delimiter, options.parameterLimit)) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    if (!key) continue;
    const value = eq === -1 ? '' : decode(part.slice(eq + 1));
    result = merge(result, build(splitKey(key, options), value));
  }
  return result;
}
