/** The parts of a Content-Type header the crawler acts on. */
export interface ContentType {
  /** Lower-cased `type/subtype`, parameters dropped; null when the header is missing or garbled. */
  essence: string | null;
  /** The `charset` parameter as written (unquoted, trimmed), or null. */
  charset: string | null;
}

const ESSENCE = /^[a-z0-9!#$%&'*+.^_`|~-]+\/[a-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Pure and lenient: servers send `text/html;charset="UTF-8"`, `TEXT/HTML; Charset=utf-8`, or two
 * charset parameters. The first charset wins, like in browsers; a garbled type yields a null essence
 * so callers fall back to sniffing instead of trusting it.
 */
export function parseContentType(header: string | undefined | null): ContentType {
  if (!header) return { essence: null, charset: null };
  const [rawEssence = '', ...parameters] = header.split(';');
  const candidate = rawEssence.trim().toLowerCase();
  const essence = ESSENCE.test(candidate) ? candidate : null;
  let charset: string | null = null;
  for (const parameter of parameters) {
    const separator = parameter.indexOf('=');
    if (separator < 0) continue;
    if (parameter.slice(0, separator).trim().toLowerCase() !== 'charset') continue;
    const value = parameter
      .slice(separator + 1)
      .trim()
      .replace(/^["']|["']$/g, '')
      .trim();
    if (value) {
      charset = value;
      break;
    }
  }
  return { essence, charset };
}
