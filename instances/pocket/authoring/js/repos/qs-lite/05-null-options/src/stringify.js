import { encode } from './utils.js';

const defaults = {
  addQueryPrefix: false,
  arrayFormat: 'indices',
  delimiter: '&',
  skipNulls: false,
  strictNullHandling: false,
};

const arrayKey = {
  brackets: (prefix) => prefix + '[]',
  indices: (prefix, index) => prefix + '[' + index + ']',
  repeat: (prefix) => prefix,
};

function serialize(prefix, value, options, parts) {
  if (value === undefined || (value === null && options.skipNulls)) return;
  if (value === null) {
    // A bare key stands for null, so that "a=" can keep meaning the empty string.
    parts.push(options.strictNullHandling ? encode(prefix) : encode(prefix) + '=');
  } else if (value instanceof Date) {
    parts.push(encode(prefix) + '=' + encode(value.toISOString()));
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => serialize(arrayKey[options.arrayFormat](prefix, index), item, options, parts));
  } else if (typeof value === 'object') {
    for (const key of Object.keys(value)) serialize(prefix + '[' + key + ']', value[key], options, parts);
  } else {
    parts.push(encode(prefix) + '=' + encode(String(value)));
  }
}

export function stringify(object, opts = {}) {
  const options = { ...defaults, ...opts };
  if (!Object.hasOwn(arrayKey, options.arrayFormat)) {
    throw new TypeError(`Unknown arrayFormat: ${options.arrayFormat}`);
  }
  if (object === null || typeof object !== 'object') return '';

  const parts = [];
  for (const key of Object.keys(object)) serialize(key, object[key], options, parts);
  const joined = parts.join(options.delimiter);
  return options.addQueryPrefix && joined ? '?' + joined : joined;
}
