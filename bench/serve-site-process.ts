/**
 * Serves generated fiche sites from their own process, so the crawler being measured does not share
 * its event loop (or its heap, in the RSS figures) with the server. Arguments: pages a site, sites
 * (default 1, each on its own port with pages of its own), latency in ms added to each response
 * (default 0). Prints each site's origin on a line, then serves until its stdin closes.
 */
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import { serveSite } from '../fixture-web/site-server.ts';

const pages = Number(process.argv[2] ?? 5000);
const sites = Number(process.argv[3] ?? 1);
const latencyMs = Number(process.argv[4] ?? 0);
const served = await Promise.all(
  Array.from({ length: sites }, (_, n) =>
    serveSite(buildFicheSite({ count: pages, offset: n * pages, siteName: `Site ${n + 1}` }), {
      latencyMs,
    }),
  ),
);
process.stdout.write(served.map((web) => `${web.origin}\n`).join(''));
process.stdin.resume();
process.stdin.on('end', () => void Promise.all(served.map((web) => web.close())).then(() => process.exit(0)));
