import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { createInProcessPageReader, PageReadError } from '../crawler/page-reader.ts';
import { createPageReaderPool } from '../crawler/page-reader-pool.ts';

const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8' };
const OPENING_HOURS = 'Du lundi au vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h, le samedi de 9 h à 12 h.';

/** A town page whose CMS puts the same opening-hours box in the content of every page. */
function townPage(title: string): Uint8Array {
  return new TextEncoder().encode(`<!DOCTYPE html><html lang="fr"><head><title>${title}</title></head>
<body><main><h1>${title}</h1><p>La commune présente ici ce qu’elle fait pour ${title.toLowerCase()}.</p>
<div class="encart"><h2>Horaires de la mairie</h2><p>${OPENING_HOURS}</p></div></main></body></html>`);
}

describe('extraction in worker threads', () => {
  const pool = createPageReaderPool({ workers: 3, log: silentLogger() });
  afterAll(() => pool.close());

  it('reads a real page exactly as the crawl thread would', async () => {
    const html = await readFile(new URL('./fixtures/pages/castelnaudary-demarche-cni.html', import.meta.url));
    const request = {
      sourceId: 'sp',
      url: 'https://www.castelnaudary.fr/demarches/carte-identite',
      headers: HTML_HEADERS,
    };
    const inThread = await createInProcessPageReader().read({ ...request, body: new Uint8Array(html) });
    const inWorker = await pool.read({ ...request, body: new Uint8Array(html) });
    expect(inWorker).toEqual(inThread);
    expect(inWorker).toMatchObject({ kind: 'document', title: "Carte nationale d'identité" });
    expect(inWorker.kind === 'document' && inWorker.links.length).toBeGreaterThan(0);
  });

  it('learns the repeated blocks of a source from all its pages, whichever source came in between', async () => {
    const texts: string[] = [];
    for (const title of ['Cantine scolaire', 'Plan vélo', 'Marché', 'Cimetière']) {
      // Another source's pages in between must neither reach this source's filter nor move it elsewhere.
      await pool.read({
        sourceId: 'other-town',
        url: 'https://other.example/x',
        headers: HTML_HEADERS,
        body: townPage('Autre'),
      });
      const content = await pool.read({
        sourceId: 'frontignan',
        url: `https://www.frontignan.fr/${title}`,
        headers: HTML_HEADERS,
        body: townPage(title),
      });
      texts.push(content.kind === 'document' ? content.text : '');
    }
    expect(texts[0]).toContain(OPENING_HOURS);
    expect(texts[3]).not.toContain(OPENING_HOURS);
    expect(texts[3]).toContain('Cimetière');
  });

  it('fails a damaged PDF with its reason, and goes on reading pages in the same worker', async () => {
    const damaged = new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n%%EOF');
    await expect(
      pool.read({
        sourceId: 'frontignan',
        url: 'https://www.frontignan.fr/pv.pdf',
        headers: { 'content-type': 'application/pdf' },
        body: damaged,
      }),
    ).rejects.toMatchObject({ constructor: PageReadError, kind: 'pdf_extraction' });
    const next = await pool.read({
      sourceId: 'frontignan',
      url: 'https://www.frontignan.fr/cantine',
      headers: HTML_HEADERS,
      body: townPage('Cantine'),
    });
    expect(next.kind === 'document' && next.title).toBe('Cantine');
  });
});
