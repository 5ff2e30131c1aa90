const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

export const isObject = (value) => value !== null && typeof value === 'object';

/** Decodes one component of a query string; in form encoding "+" stands for a space. */
export function decode(str) {
  const text = str.replace('+', ' ');
  try {
    return decodeURIComponent(text);
  } catch {
    // A malformed escape such as "%E0%A4%A" is kept verbatim rather than failing the whole parse.
    return text;
  }
}

/** Encodes per RFC 3986, which also reserves !'()*. */
export function encode(str) {
  return encodeURIComponent(str).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * Merges the object built from one pair into the result so far. A key seen twice with
 * plain values collects them into an array, as "a=1&a=2" does at the top level.
 */
export function merge(target, source) {
  if (!isObject(source)) {
    return Array.isArray(target) ? [...target, source] : [target, source];
  }
  if (!isObject(target)) return [target].concat(source);

  for (const key of Object.keys(source)) {
    target[key] = hasOwn(target, key) ? merge(target[key], source[key]) : source[key];
  }
  return target;
}
