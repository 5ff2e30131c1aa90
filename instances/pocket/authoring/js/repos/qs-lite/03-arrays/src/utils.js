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

function arrayToObject(array) {
  const object = {};
  array.forEach((item, index) => {
    object[index] = item;
  });
  return object;
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

  if (Array.isArray(target) && Array.isArray(source)) {
    // "a[]=1&a[]=2" builds ["1"] twice: a taken slot appends rather than overwrites.
    source.forEach((item, index) => {
      if (!hasOwn(target, index)) target[index] = item;
      else if (isObject(target[index]) && isObject(item)) target[index] = merge(target[index], item);
      else target.push(item);
    });
    return target;
  }

  const merged = Array.isArray(target) ? arrayToObject(target) : target;
  for (const key of Object.keys(source)) {
    merged[key] = hasOwn(merged, key) ? merge(merged[key], source[key]) : source[key];
  }
  return merged;
}

/** Closes the holes that sparse indices such as "a[1]=x&a[5]=y" leave in arrays. */
export function compact(value) {
  if (Array.isArray(value)) return value.filter((item) => item != null).map(compact);
  if (isObject(value)) {
    for (const key of Object.keys(value)) value[key] = compact(value[key]);
  }
  return value;
}
