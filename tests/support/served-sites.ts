import { afterEach } from 'vitest';
import type { FixtureSite } from '../../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../../fixture-web/site-server.ts';

/** `serveSite` for one test: every site it serves is closed after that test. */
export function servedPerTest(): (site: FixtureSite) => Promise<ServedSite> {
  const served: ServedSite[] = [];
  afterEach(async () => {
    await Promise.all(served.splice(0).map((site) => site.close()));
  });
  return async (site) => {
    const one = await serveSite(site);
    served.push(one);
    return one;
  };
}
