import { binarySignature, pdfHeaderOffset } from './binary-signature.ts';
import { parseContentType } from './content-type.ts';

export type ContentKind = 'html' | 'pdf' | 'binary';

/** The MIME types the crawler indexes; anything else is skipped. */
export const ACCEPTED_MIME_TYPES = ['text/html', 'application/xhtml+xml', 'application/pdf'] as const;

/** The Accept header matching the list above, with a low-priority wildcard so servers that negotiate badly still answer. */
export const ACCEPT_HEADER = 'text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.8,*/*;q=0.1';

const HTML_TYPES = new Set<string>(['text/html', 'application/xhtml+xml']);
const PDF_TYPES = new Set<string>(['application/pdf', 'application/x-pdf', 'application/acrobat']);
/** Types that say nothing reliable about the bytes: only these are ever second-guessed as HTML. */
const UNINFORMATIVE_TYPES = new Set<string>([
  'application/octet-stream',
  'binary/octet-stream',
  'text/plain',
]);
const HTML_EXTENSION = /\.(html?|xhtml)$/i;

/**
 * Pure: what to do with a fetched body. The bytes come first, because CMSs serve attachments behind
 * `.html` URLs and PDFs as `application/octet-stream`:
 *
 * - a `%PDF-` header is a PDF, whatever the type says (within the first KB when the declared type is
 *   PDF or uninformative, at offset 0 otherwise);
 * - a known binary signature (image, office file, archive, media...) is binary, even as text/html;
 * - declared HTML is HTML unless it contains control bytes no text has (then it is binary);
 * - HTML is sniffed only when the type is missing or uninformative (octet-stream, text/plain), and only
 *   from an unambiguous start: `<!doctype html` or `<html`. Other text/plain stays binary: indexing
 *   raw text files as pages is a choice to make explicitly, not by accident;
 * - with no Content-Type at all, a textual body at a `.html`/`.htm` URL is HTML.
 */
export function classifyContent(
  contentTypeHeader: string | undefined,
  body: Uint8Array,
  url: URL,
): ContentKind {
  const { essence } = parseContentType(contentTypeHeader);
  const uninformative = essence === null || UNINFORMATIVE_TYPES.has(essence);
  const pdfLike = uninformative || PDF_TYPES.has(essence);
  if (pdfHeaderOffset(body, { atStartOnly: !pdfLike }) !== null) return 'pdf';
  if (binarySignature(body) !== null) return 'binary';
  if (essence !== null && HTML_TYPES.has(essence)) return isTextual(body) ? 'html' : 'binary';
  if (uninformative && startsLikeHtml(body)) return 'html';
  if (essence === null && HTML_EXTENSION.test(url.pathname) && isTextual(body)) return 'html';
  return 'binary';
}

const SNIFF_BYTES = 1024;

/** No "binary data byte" (WHATWG MIME Sniffing) in the first KB; UTF-16 text is recognised by its BOM. */
function isTextual(body: Uint8Array): boolean {
  if ((body[0] === 0xfe && body[1] === 0xff) || (body[0] === 0xff && body[1] === 0xfe)) return true;
  const head = body.subarray(0, SNIFF_BYTES);
  return !head.some(
    (byte) =>
      byte <= 0x08 || byte === 0x0b || (byte >= 0x0e && byte <= 0x1a) || (byte >= 0x1c && byte <= 0x1f),
  );
}

/** Skips a UTF-8 BOM, white space, comments and an XML declaration, then wants `<!doctype html` or `<html`. */
function startsLikeHtml(body: Uint8Array): boolean {
  let head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, SNIFF_BYTES))
    .toString('latin1')
    .replace(/^\u00ef\u00bb\u00bf/, '');
  for (;;) {
    const skipped = head
      .replace(/^\s+/, '')
      .replace(/^<!--[\s\S]*?-->/, '')
      .replace(/^<\?xml[^>]*\?>/i, '');
    if (skipped === head) break;
    head = skipped;
  }
  return /^(<!doctype\s+html[\s>]|<html[\s>])/i.test(head);
}
