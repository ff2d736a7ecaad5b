import { getDocumentProxy, getMeta } from 'unpdf';
import { cleanText } from '../extract/clean-text.ts';
import { PdfExtractionError } from './content-errors.ts';

export interface PdfText {
  title: string | null;
  /** The text of the first pages, white space collapsed, at most `maxTextChars` characters. */
  text: string;
  /** Pages in the document, including the ones not extracted. */
  pages: number;
  /** The document's creation date (else its modification date) as ISO 8601 UTC, or null. */
  publishedAt: string | null;
}

export interface PdfTextLimits {
  /** Council minutes put what matters first; a 900-page budget annex is not read to the end. */
  maxPages?: number;
  maxTextChars?: number;
}

const DEFAULT_MAX_PAGES = 50;
const DEFAULT_MAX_TEXT_CHARS = 500_000;

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/**
 * The title, text and date of a PDF, with unpdf's serverless pdf.js (font `eval` disabled). Pages are
 * read one at a time and reading stops at `maxPages` or once `maxTextChars` are collected: unpdf's
 * `extractText` reads every page at once, which a scanned 900-page annex turns into seconds of CPU
 * and hundreds of megabytes. Any failure, including a password, is a `PdfExtractionError`.
 */
export async function extractPdfText(body: Uint8Array, limits: PdfTextLimits = {}): Promise<PdfText> {
  const maxPages = limits.maxPages ?? DEFAULT_MAX_PAGES;
  const maxTextChars = limits.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  let document: PdfDocument;
  try {
    // A copy: pdf.js may transfer (detach) the buffer it is given, and the caller still owns `body`.
    document = await getDocumentProxy(new Uint8Array(body), { verbosity: 0 });
  } catch (error) {
    throw new PdfExtractionError(failureReason(error), body.length, { cause: error });
  }
  try {
    const { info, metadata } = await getMeta(document);
    const text = await extractPages(document, maxPages, maxTextChars);
    return {
      title: cleanTitle(info.Title) ?? cleanTitle(metadata.get?.('dc:title')),
      text,
      pages: document.numPages,
      publishedAt: pdfDateToIso(info.CreationDate) ?? pdfDateToIso(info.ModDate),
    };
  } catch (error) {
    throw new PdfExtractionError(failureReason(error), body.length, { cause: error });
  } finally {
    await document.destroy();
  }
}

async function extractPages(document: PdfDocument, maxPages: number, maxTextChars: number): Promise<string> {
  const pageTexts: string[] = [];
  let length = 0;
  const lastPage = Math.min(document.numPages, maxPages);
  for (let pageNumber = 1; pageNumber <= lastPage && length < maxTextChars; pageNumber++) {
    const page = await document.getPage(pageNumber);
    const content = await page.getTextContent();
    // hasEOL marks line ends; without a space there, the last word of a line runs into the next.
    const pageText = cleanText(
      content.items
        .map((textItem) => ('str' in textItem ? textItem.str + (textItem.hasEOL ? ' ' : '') : ''))
        .join(''),
    );
    page.cleanup();
    if (pageText) {
      pageTexts.push(pageText);
      length += pageText.length + 1;
    }
  }
  return pageTexts.join(' ').slice(0, maxTextChars);
}

/** Word and LibreOffice put the file name in the title; keep the words, drop the tooling. */
function cleanTitle(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const title = cleanText(value)
    .replace(/^Microsoft (Word|Excel|PowerPoint) - /i, '')
    .replace(/\.(docx?|odt|xlsx?|ods|pptx?|odp|pdf)$/i, '')
    .trim();
  return title && !/^(untitled|sans titre|document\d*)$/i.test(title) ? title : null;
}

function failureReason(error: unknown): PdfExtractionError['reason'] {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') return 'encrypted';
  if (name === 'InvalidPDFException' || name === 'FormatError') return 'invalid';
  return 'failed';
}

/** `D:YYYYMMDDHHmmSSOHH'mm'` (PDF 32000-1 §7.9.4); everything after the year is optional. */
const PDF_DATE =
  /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?\s*$/;

/**
 * PDF 1.0 dates from 1993; earlier ones are generators writing zeros or the Unix epoch. They would
 * put a 2024 deliberation in 1970 on the results page, so they are dropped.
 */
const FIRST_PLAUSIBLE_YEAR = 1993;

/**
 * Pure: a PDF date string as an ISO 8601 UTC timestamp, or null when it is missing, malformed or
 * implausible. A date without offset is taken as UTC: the offset only moves it by hours, and the
 * result is used to sort and filter by day.
 */
function pdfDateToIso(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = PDF_DATE.exec(value.trim());
  if (!match) return null;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00'] = match;
  const [sign, offsetHours = '00', offsetMinutes = '00'] = [match[8], match[9], match[10]];
  const fields = [
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  ] as const;
  const [y, mo, d, h, mi, s] = fields;
  if (y < FIRST_PLAUSIBLE_YEAR || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 31 February over into March: a date that moved was not a real date.
  if (new Date(local).getUTCDate() !== d) return null;
  const offsetMs = sign
    ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000
    : 0;
  return new Date(local - offsetMs).toISOString();
}
