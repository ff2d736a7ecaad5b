import type { JSX } from 'hono/jsx/jsx-runtime';
import { PageShell } from './search-page.tsx';
import { pageText, type PageLanguage } from './page-text.ts';

/**
 * The search page when the search cannot be made: the parameters at fault, each named as in the URL,
 * or the engine being down. error-response.ts decides the status; this only says it to a person.
 */
export function renderPageError(options: {
  status: number;
  message: string;
  details: readonly { parameter: string; message: string }[];
  language: PageLanguage;
}): JSX.Element {
  const text = pageText(options.language);
  const invalid = options.status === 400;
  const model = { text, language: options.language, given: {} };
  return (
    <PageShell model={model} title={text.title}>
      <main id="results" class="page-error">
        <h1>
          {invalid
            ? text.invalid
            : options.status === 429
              ? text.tooMany
              : options.status === 503
                ? text.unavailable
                : options.message}
        </h1>
        {invalid ? (
          <ul>
            {options.details.map((detail) => (
              <li>
                <code>{detail.parameter}</code> : {detail.message}
              </li>
            ))}
          </ul>
        ) : null}
        <p>
          <a href={options.language === 'fr' ? '/' : `/?hl=${options.language}`}>{text.startOver}</a>
        </p>
      </main>
    </PageShell>
  );
}
