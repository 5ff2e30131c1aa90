import { compact, decode, merge } from './utils.js';

const defaults = {
  allowDots: false,
  arrayLimit: 20,
  delimiter: '&',
  depth: 5,
  ignoreQueryPrefix: false,
  parameterLimit: 1000,
};

/**
 * Splits "a[b][c]" (or "a.b.c" with allowDots) into ["a", "b", "c"]. Brackets past `depth`
 * stay together as one literal segment, so hostile input cannot build arbitrarily deep objects.
 */
function splitKey(key, options) {
  const path = options.allowDots ? key.replace(/\.([^.[]+)/g, '[$1]') : key;
  const open = path.indexOf('[');
  if (open <= 0) return [path];

  const segments = [path.slice(0, open)];
  const bracket = /^\[([^[\]]*)\]/;
  let rest = path.slice(open);
  let match;
  while (segments.length <= options.depth && (match = bracket.exec(rest))) {
    segments.push(match[1]);
    rest = rest.slice(match[0].length);
  }
  if (rest) segments.push(rest);
  return segments;
}

/** Builds the value for one key path, from the leaf outwards: "[]" appends, "[2]" places at an index. */
function build(segments, value, options) {
  let leaf = value;
  for (let i = segments.length - 1; i > 0; i--) {
    const segment = segments[i];
    if (segment === '') {
      leaf = [leaf];
    } else if (/^\d+$/.test(segment) && Number(segment) <= options.arrayLimit) {
      const array = [];
      array[Number(segment)] = leaf;
      leaf = array;
    } else {
      leaf = { [segment]: leaf };
    }
  }
  return { [segments[0]]: leaf };
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
    result = merge(result, build(splitKey(key, options), value, options));
  }
  return compact(result);
}
