/**
 * Serves the site of `npm run bench:recrawl` from its own process, so that the crawl measured does
 * not share its event loop with the server. Prints the origin, then answers one JSON line per command
 * read on stdin: `change` (the day-later site, see recrawl-site.ts; the request log is emptied) and
 * `requests` (every request received since: path and arrival time). Stops when stdin closes.
 */
import { createInterface } from 'node:readline';
import { serveSite } from '../fixture-web/site-server.ts';
import { buildRecrawlSite, changeSite } from './recrawl-site.ts';

const pages = Number(process.argv[2] ?? 5000);
let origin = '';
const recrawl = buildRecrawlSite(pages, () => origin);
const web = await serveSite(recrawl.site);
origin = web.origin;
process.stdout.write(`${origin}\n`);

for await (const command of createInterface({ input: process.stdin })) {
  if (command === 'change') {
    const changes = changeSite(recrawl, new Date());
    web.resetStats();
    process.stdout.write(`${JSON.stringify(changes)}\n`);
  } else if (command === 'requests') {
    const requests = web.requests.map(({ path, at }) => ({ path, at }));
    process.stdout.write(`${JSON.stringify(requests)}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ error: `unknown command ${command}` })}\n`);
  }
}
await web.close();
process.exit(0);
