import type { FailureCause, SourceHealth } from '../store/source-health.ts';
import type { CrawlReport } from './crawl-report.ts';

/**
 * Whether a source's run failed, and why: its host could not be crawled at all (robots.txt
 * unreachable, the crawl crashed, a private address), or nothing of it could be kept (every request
 * failed, or robots.txt shuts us out). A run stopped at its time budget, or that kept pages while
 * some failed, is not a failure: the site is there. Returns null for a run that did not fail.
 */
export function failureOf(report: CrawlReport): SourceHealth['causes'] | null {
  if (report.incomplete) {
    if (report.incomplete.startsWith('time budget')) return null;
    return [{ cause: causeOf(report.incomplete), detail: report.incomplete }];
  }
  const kept = report.new + report.changed + report.unchanged + (report.dataset?.rows ?? 0);
  if (kept > 0) return null;
  const causes: SourceHealth['causes'] = [];
  if (report.skipped.robots > 0) {
    causes.push({ cause: 'robots-blocked', detail: `robots.txt disallowed ${report.skipped.robots} URLs` });
  }
  for (const [kind, count] of Object.entries(report.errors)) {
    const sample = report.errorSamples.find((error) => error.error.startsWith(`${kind}:`))?.error ?? kind;
    causes.push({ cause: causeOf(`${kind} ${sample}`), detail: `${count} × ${sample}` });
  }
  return causes.length > 0 ? causes : null;
}

/** The cause an admin reads, from an error kind or a reason (`robots.txt unreachable (ECONNREFUSED)`). */
function causeOf(text: string): FailureCause {
  if (/CERT|SSL|TLS|certificate|self[- ]signed/i.test(text)) return 'tls';
  if (/TIMEOUT|ETIMEDOUT|timeout/i.test(text)) return 'timeout';
  if (/private-address|EPRIVATEADDRESS/.test(text)) return 'private-address';
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|network|HTTP 5\d\d|http-5\d\d|HTTP 429|http-429/i.test(
      text,
    )
  ) {
    return 'offline';
  }
  if (/HTTP \d{3}|http-\d{3}/.test(text)) return 'http-error';
  return 'other';
}
