export interface RobotsDirectives {
  noindex: boolean;
  nofollow: boolean;
}

/** Directives that carry a value after a colon; their prefix is not a user agent. */
const VALUED_DIRECTIVES = new Set([
  'max-snippet',
  'max-image-preview',
  'max-video-preview',
  'unavailable_after',
  'indexifembedded',
]);
/** The only user-agent prefix addressed to every crawler, hence to us. */
const GENERIC_AGENT = 'robots';
const AGENT_PREFIX = /^([a-z0-9_.*-]+)\s*:\s*(.*)$/;

/**
 * Pure: what a robots meta tag or an X-Robots-Tag header value forbids us. Case-insensitive;
 * "none" means noindex and nofollow; "all", "index" and "follow" forbid nothing. A user-agent prefix
 * ("googlebot: noindex") addresses another crawler and applies to the directives after it until
 * the next prefix, so they are ignored, unless the prefix is the generic "robots". When directives
 * conflict ("all, noindex") the restrictive one wins, as major crawlers do.
 */
export function parseRobotsDirectives(value: string): RobotsDirectives {
  const directives: RobotsDirectives = { noindex: false, nofollow: false };
  let addressedToUs = true;
  for (const rawToken of value.toLowerCase().split(',')) {
    let token = rawToken.trim();
    const prefixed = AGENT_PREFIX.exec(token);
    if (prefixed?.[1] !== undefined && !VALUED_DIRECTIVES.has(prefixed[1])) {
      addressedToUs = prefixed[1] === GENERIC_AGENT;
      token = (prefixed[2] ?? '').trim();
    }
    if (!addressedToUs) continue;
    if (token === 'noindex' || token === 'none') directives.noindex = true;
    if (token === 'nofollow' || token === 'none') directives.nofollow = true;
  }
  return directives;
}

/** Several robots tags (or a tag and a header) add up: each restriction counts. */
export function combineRobotsDirectives(...all: readonly RobotsDirectives[]): RobotsDirectives {
  return {
    noindex: all.some((directives) => directives.noindex),
    nofollow: all.some((directives) => directives.nofollow),
  };
}
