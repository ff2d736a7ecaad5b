/**
 * Serves a generated fiche site from its own process, so the crawler being measured does not share
 * its event loop (or its heap, in the RSS figures) with the server. Prints the origin, then serves
 * until its stdin closes.
 */
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import { serveSite } from '../fixture-web/site-server.ts';

const pages = Number(process.argv[2] ?? 5000);
const web = await serveSite(buildFicheSite({ count: pages }));
process.stdout.write(`${web.origin}\n`);
process.stdin.resume();
process.stdin.on('end', () => void web.close().then(() => process.exit(0)));
