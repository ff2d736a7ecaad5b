import { describe, expect, it } from 'vitest';
import { PdfExtractionError } from '../crawler/content/content-errors.ts';
import { extractPdfText } from '../crawler/content/pdf-text.ts';
import { aPdf } from './fixtures/content/minimal-pdf.ts';

const DELIBERATION = aPdf({
  title: 'Délibération n°2024-017 — budget primitif',
  creationDate: "D:20240312143000+01'00'",
  pages: [
    ['Délibération du conseil municipal du 12 mars 2024', 'Objet : budget primitif de l’exercice 2024'],
    ['Le conseil municipal, après en avoir délibéré (à l’unanimité), adopte le budget.'],
  ],
});

describe('extracting the text of a PDF', () => {
  it('builds a fixture whose xref really points at its objects', () => {
    const pdf = Buffer.from(DELIBERATION).toString('latin1');
    const startxref = Number(/startxref\n(\d+)/.exec(pdf)?.[1]);
    expect(pdf.startsWith('xref', startxref)).toBe(true);
    const offsets = [...pdf.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((match) =>
      Number(match[1]),
    );
    offsets.forEach((offset, index) => expect(pdf.startsWith(`${index + 1} 0 obj`, offset)).toBe(true));
  });

  it('returns the title, the text of every page, the page count and the creation date', async () => {
    const extracted = await extractPdfText(DELIBERATION);
    expect(extracted).toEqual({
      title: 'Délibération n°2024-017 — budget primitif',
      text:
        'Délibération du conseil municipal du 12 mars 2024 Objet : budget primitif de l’exercice 2024 ' +
        'Le conseil municipal, après en avoir délibéré (à l’unanimité), adopte le budget.',
      pages: 2,
      publishedAt: '2024-03-12T13:30:00.000Z',
    });
  });

  it('leaves the caller’s buffer usable', async () => {
    const body = new Uint8Array(DELIBERATION);
    await extractPdfText(body);
    expect(body.byteLength).toBe(DELIBERATION.byteLength);
    expect(Buffer.from(body).equals(Buffer.from(DELIBERATION))).toBe(true);
  });

  it('reads only the first pages but counts them all', async () => {
    const annex = aPdf({ pages: Array.from({ length: 8 }, (_, n) => [`Annexe budgétaire, page ${n + 1}`]) });
    const extracted = await extractPdfText(annex, { maxPages: 3 });
    expect(extracted.pages).toBe(8);
    expect(extracted.text).toBe(
      'Annexe budgétaire, page 1 Annexe budgétaire, page 2 Annexe budgétaire, page 3',
    );
  });

  it('caps the text length', async () => {
    const long = aPdf({ pages: [Array.from({ length: 40 }, () => 'Compte rendu du conseil municipal.')] });
    const extracted = await extractPdfText(long, { maxTextChars: 100 });
    expect(extracted.text).toHaveLength(100);
    expect(extracted.text.startsWith('Compte rendu du conseil municipal. Compte')).toBe(true);
  });

  it('cleans office titles and drops missing, placeholder or implausible metadata', async () => {
    const word = aPdf({ title: 'Microsoft Word - PV conseil 12-03-2024.docx', pages: [['PV']] });
    expect((await extractPdfText(word)).title).toBe('PV conseil 12-03-2024');
    const bare = aPdf({ title: 'Document1', creationDate: 'D:19700101000000Z', pages: [['PV']] });
    expect(await extractPdfText(bare)).toMatchObject({ title: null, publishedAt: null });
    const none = aPdf({ pages: [['PV']] });
    expect(await extractPdfText(none)).toMatchObject({ title: null, publishedAt: null });
    const dayOnly = aPdf({ creationDate: 'D:20231105', pages: [['PV']] });
    expect((await extractPdfText(dayOnly)).publishedAt).toBe('2023-11-05T00:00:00.000Z');
  });

  it('throws PdfExtractionError for bytes that are not a PDF, or a damaged one', async () => {
    const notPdf = new TextEncoder().encode('<html><body>Document introuvable</body></html>');
    await expect(extractPdfText(notPdf)).rejects.toMatchObject({
      constructor: PdfExtractionError,
      reason: 'invalid',
      byteLength: notPdf.length,
    });
    const damaged = new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n%%EOF');
    await expect(extractPdfText(damaged)).rejects.toBeInstanceOf(PdfExtractionError);
    const truncated = DELIBERATION.subarray(0, 200);
    await expect(extractPdfText(truncated)).rejects.toBeInstanceOf(PdfExtractionError);
  });
});
