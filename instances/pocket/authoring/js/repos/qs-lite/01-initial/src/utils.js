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
