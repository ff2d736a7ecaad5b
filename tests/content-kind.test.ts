import { describe, expect, it } from 'vitest';
import { ACCEPTED_MIME_TYPES, classifyContent } from '../crawler/content/content-kind.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const page = new URL('https://www.tarbes.fr/deliberations/conseil-12-mars-2024.html');
const HTML = bytes(
  '<!DOCTYPE html>\n<html lang="fr"><head><title>Délibérations</title></head><body></body></html>',
);
const PDF = bytes('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');
const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const DOCX = new Uint8Array([
  0x50,
  0x4b,
  0x03,
  0x04,
  0x14,
  0x00,
  0x06,
  0x00,
  ...bytes('[Content_Types].xml'),
]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...bytes('JFIF')]);
const GZIP = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);
const DOC = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);

describe('classifying a fetched body', () => {
  it('takes declared HTML at its word when the bytes are text', () => {
    expect(classifyContent('text/html; charset=utf-8', HTML, page)).toBe('html');
    expect(classifyContent('application/xhtml+xml', HTML, page)).toBe('html');
    expect(classifyContent('text/html', bytes('<p>fragment sans doctype</p>'), page)).toBe('html');
  });

  it('calls a .html URL that returns an image, an office file or an archive binary', () => {
    for (const body of [PNG, JPEG, DOCX, DOC, GZIP]) {
      expect(classifyContent('text/html', body, page)).toBe('binary');
    }
    expect(classifyContent('text/html', new Uint8Array([0x3c, 0x70, 0x00, 0x01, 0x02]), page)).toBe('binary');
  });

  it('recognises a PDF by its header whatever it is served as', () => {
    const pdfUrl = new URL('https://www.tarbes.fr/fileadmin/deliberation.pdf');
    expect(classifyContent('application/pdf', PDF, pdfUrl)).toBe('pdf');
    expect(classifyContent('application/octet-stream', PDF, pdfUrl)).toBe('pdf');
    expect(classifyContent(undefined, PDF, page)).toBe('pdf');
    expect(classifyContent('text/html', PDF, page)).toBe('pdf');
  });

  it('accepts junk before %PDF- only when the type is PDF or says nothing', () => {
    const junk = new Uint8Array([...bytes('\r\n\r\n   '), ...PDF]);
    expect(classifyContent('application/pdf', junk, page)).toBe('pdf');
    expect(classifyContent('application/octet-stream', junk, page)).toBe('pdf');
    const htmlMentioningPdf = bytes('<html><body>Le fichier commence par %PDF-1.4</body></html>');
    expect(classifyContent('text/html', htmlMentioningPdf, page)).toBe('html');
  });

  it('does not index a "PDF" without a PDF header', () => {
    expect(classifyContent('application/pdf', bytes('<html><body>Erreur 404</body></html>'), page)).toBe(
      'binary',
    );
  });

  it('sniffs HTML only from an unambiguous start when the type is missing or uninformative', () => {
    const withPreamble = bytes(
      '\uFEFF  <!-- généré par SPIP --><?xml version="1.0"?>\n<html><body></body></html>',
    );
    for (const type of [undefined, 'application/octet-stream', 'text/plain; charset=utf-8']) {
      expect(classifyContent(type, HTML, page)).toBe('html');
      expect(classifyContent(type, withPreamble, page)).toBe('html');
    }
    expect(classifyContent('text/plain', bytes('Compte rendu du conseil <html> en texte brut'), page)).toBe(
      'binary',
    );
    expect(classifyContent('text/plain', bytes('<htmlfoo>'), page)).toBe('binary');
  });

  it('never second-guesses other declared types', () => {
    expect(classifyContent('application/json', HTML, page)).toBe('binary');
    expect(classifyContent('text/css', HTML, page)).toBe('binary');
    expect(classifyContent('image/png', HTML, page)).toBe('binary');
  });

  it('uses the URL only when there is no Content-Type at all', () => {
    const fragment = bytes('<p>Horaires de la mairie</p>');
    expect(classifyContent(undefined, fragment, page)).toBe('html');
    expect(classifyContent(undefined, fragment, new URL('https://www.tarbes.fr/horaires.txt'))).toBe(
      'binary',
    );
    expect(classifyContent('text/plain', fragment, page)).toBe('binary');
  });

  it('lists the MIME types the crawler accepts', () => {
    expect(ACCEPTED_MIME_TYPES).toEqual(['text/html', 'application/xhtml+xml', 'application/pdf']);
  });
});
