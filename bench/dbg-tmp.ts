import { MessageChannel } from 'node:worker_threads';
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import { createInProcessPageReader } from '../crawler/page-reader.ts';
const site = buildFicheSite({ count: 300 });
const reader = createInProcessPageReader();
const { port1, port2 } = new MessageChannel();
port2.on('message', () => {});
let clone = 0, extract = 0, n = 0, textLen = 0, linkN = 0;
for (const [key, route] of site) {
  const r = route as any;
  if (!r.body) continue;
  const body = typeof r.body === 'string' ? new TextEncoder().encode(r.body) : new Uint8Array(r.body);
  const t0 = performance.now();
  const c = await reader.read({ sourceId: 's', url: 'http://x.test' + key, headers: { 'content-type': 'text/html; charset=utf-8' }, body }) as any;
  const t1 = performance.now();
  port1.postMessage(c);
  const t2 = performance.now();
  extract += t1 - t0; clone += t2 - t1; n++; textLen += c.text.length; linkN += c.links.length;
}
console.log('pages', n, 'avg text', (textLen / n).toFixed(0), 'avg links', (linkN / n).toFixed(0), 'extract ms', (extract / n).toFixed(3), 'first clone ms', (clone / n).toFixed(3));
port1.close();
