import { describe, expect, it } from 'vitest';
import { decodeHtml } from '../crawler/content/decode-html.ts';

const SENTENCE = 'Mairie de Tarbes — état civil, délibérations, été';

/** Real legacy bytes: windows-1252 is latin-1 plus typographic characters in 0x80..0x9F. */
const WINDOWS_1252_TYPOGRAPHY: Record<string, number> = {
  '€': 0x80,
  '’': 0x92,
  œ: 0x9c,
  '—': 0x97,
  '…': 0x85,
};
function windows1252Bytes(text: string): Uint8Array {
  return Uint8Array.from(
    [...text].map((character) => WINDOWS_1252_TYPOGRAPHY[character] ?? character.charCodeAt(0)),
  );
}

const page = (head: string, body = SENTENCE) =>
  `<!DOCTYPE html><html lang="fr"><head>${head}<title>Tarbes</title></head><body><p>${body}</p></body></html>`;

describe('decoding an HTML body', () => {
  it('uses the Content-Type charset: ISO-8859-1 is read as windows-1252, em dash included', () => {
    const bytes = windows1252Bytes(page(''));
    expect(bytes).toContain(0xe9); // é as a single latin-1 byte: these are not UTF-8 bytes
    const decoded = decodeHtml(bytes, 'text/html; charset=ISO-8859-1');
    expect(decoded).toMatchObject({ charset: 'windows-1252', charsetSource: 'header' });
    expect(decoded.html).toContain(SENTENCE);
  });

  // Node's own windows-1252 TextDecoder maps these to C1 controls (nodejs/node#60888).
  it('decodes the windows-1252 typography of legacy pages: ’ € œ — …', () => {
    const text = 'l’état, 15 €, cœur de ville — la suite…';
    expect(decodeHtml(windows1252Bytes(page('', text)), 'text/html; charset=iso-8859-1').html).toContain(
      text,
    );
  });

  it('accepts quoted, upper-case and latin1 / us-ascii labels', () => {
    const bytes = windows1252Bytes(page(''));
    for (const header of [
      'TEXT/HTML;Charset="iso-8859-1"',
      'text/html; charset=latin1',
      'text/html;charset=us-ascii',
    ]) {
      expect(decodeHtml(bytes, header)).toMatchObject({ charset: 'windows-1252', charsetSource: 'header' });
    }
  });

  it('reads the charset from <meta http-equiv> or <meta charset> when the header has none', () => {
    const httpEquiv = windows1252Bytes(
      page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'),
    );
    expect(decodeHtml(httpEquiv, 'text/html')).toMatchObject({
      charset: 'windows-1252',
      charsetSource: 'meta',
    });
    expect(decodeHtml(httpEquiv, 'text/html').html).toContain('délibérations');

    const metaCharset = windows1252Bytes(page("<meta charset='ISO-8859-15'>", 'délibérations, 15 €'));
    metaCharset[metaCharset.indexOf(0x80)] = 0xa4; // € is 0xA4 in latin-9, 0x80 in windows-1252
    const decoded = decodeHtml(metaCharset, undefined);
    expect(decoded).toMatchObject({ charset: 'iso-8859-15', charsetSource: 'meta' });
    expect(decoded.html).toContain('délibérations, 15 €');
  });

  it('ignores a meta charset inside a comment and one past the first 2 KB', () => {
    const commented = windows1252Bytes(page('<!-- <meta charset="koi8-r"> --><meta charset="windows-1252">'));
    expect(decodeHtml(commented, undefined)).toMatchObject({
      charset: 'windows-1252',
      charsetSource: 'meta',
    });
    const late = new TextEncoder().encode(
      page(`<script>${' '.repeat(3000)}</script><meta charset="koi8-r">`),
    );
    expect(decodeHtml(late, undefined)).toMatchObject({ charset: 'utf-8', charsetSource: 'detected' });
  });

  it('detects windows-1252 when nothing declares a charset and the bytes are not UTF-8', () => {
    const decoded = decodeHtml(windows1252Bytes(page('')), 'text/html');
    expect(decoded).toMatchObject({ charset: 'windows-1252', charsetSource: 'detected' });
    expect(decoded.html).toContain('délibérations');
  });

  it('detects UTF-8 when nothing declares a charset and the bytes are UTF-8, even cut mid-character', () => {
    const bytes = new TextEncoder().encode(page(''));
    expect(decodeHtml(bytes, undefined)).toMatchObject({ charset: 'utf-8', charsetSource: 'detected' });
    const cut = new TextEncoder().encode('<p>délibérations, été');
    expect(decodeHtml(cut.subarray(0, cut.length - 1), undefined).charset).toBe('utf-8');
  });

  it('follows a UTF-8 BOM over a contradicting header and strips it', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(page(''))]);
    const decoded = decodeHtml(bytes, 'text/html; charset=iso-8859-1');
    expect(decoded).toMatchObject({ charset: 'utf-8', charsetSource: 'bom' });
    expect(decoded.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(decoded.html).toContain('délibérations');
  });

  it('decodes UTF-16 announced by its BOM', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(page(''), 'utf16le')]);
    expect(decodeHtml(utf16, undefined).html).toContain(SENTENCE);
  });

  // Decision: the bytes overrule a label that cannot be true, since we index text, not render it.
  it('reads latin-1 bytes behind a lying "charset=utf-8" header as windows-1252', () => {
    const decoded = decodeHtml(windows1252Bytes(page('')), 'text/html; charset=utf-8');
    expect(decoded).toMatchObject({ charset: 'windows-1252', charsetSource: 'detected' });
    expect(decoded.html).toContain('délibérations');
    expect(decoded.html).not.toContain('\uFFFD');
  });

  it('reads UTF-8 bytes behind a lying "charset=iso-8859-1" header as UTF-8', () => {
    const decoded = decodeHtml(new TextEncoder().encode(page('')), 'text/html; charset=iso-8859-1');
    expect(decoded).toMatchObject({ charset: 'utf-8', charsetSource: 'detected' });
    expect(decoded.html).toContain(SENTENCE);
    expect(decoded.html).not.toContain('Ã©');
  });

  it('keeps UTF-8 when a mostly UTF-8 page has one stray latin-1 byte', () => {
    const utf8 = new TextEncoder().encode(page(''));
    const bytes = new Uint8Array([...utf8, ...windows1252Bytes('<footer>Réalisé</footer>')]);
    const decoded = decodeHtml(bytes, 'text/html; charset=utf-8');
    expect(decoded).toMatchObject({ charset: 'utf-8', charsetSource: 'header' });
    expect(decoded.html).toContain(SENTENCE);
    expect(decoded.html).toContain('R\uFFFDalis');
  });

  it('falls back to meta, then detection, when the header label is unknown', () => {
    const bytes = windows1252Bytes(page('<meta charset="iso-8859-1">'));
    expect(decodeHtml(bytes, 'text/html; charset=utf8mb4')).toMatchObject({ charsetSource: 'meta' });
    expect(decodeHtml(windows1252Bytes(page('')), 'text/html; charset=bogus')).toMatchObject({
      charset: 'windows-1252',
      charsetSource: 'detected',
    });
  });

  it('reads a meta tag declaring UTF-16 (impossible for ASCII-readable markup) as UTF-8', () => {
    const bytes = new TextEncoder().encode(page('<meta charset="utf-16">'));
    expect(decodeHtml(bytes, undefined)).toMatchObject({ charset: 'utf-8', charsetSource: 'meta' });
  });
});
