import { raw } from 'hono/html';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { Child } from 'hono/jsx';
import { feedUrl, pageUrl } from './page-request.ts';
import type { PageModel } from './page-model.ts';
import { PageFilters } from './page-filters.tsx';
import { PageResults } from './page-results.tsx';

/**
 * The officials' search page, rendered on the server: every link and form works without JavaScript
 * (page.js only adds suggestions and remembers my commune, with consent). Its state is its URL, with
 * the API's parameter names, so a search can be shared and bookmarked. Hono's JSX escapes every
 * value: crawled text is only ever text.
 */
export function renderSearchPage(model: PageModel): JSX.Element {
  const { text, language, given, params } = model;
  const title = params.q ? `${params.q} — ${text.title}` : text.title;
  return (
    <PageShell model={model} title={title}>
      <form id="search" class="searchbar" method="get" action="/" role="search">
        <label for="q" class="searchbar-label">
          {text.searchLabel}
        </label>
        <div class="combo" data-combobox="suggest">
          <input
            id="q"
            name="q"
            type="search"
            value={params.q}
            placeholder={text.searchPlaceholder}
            autocomplete="off"
            spellcheck={true}
            maxlength={500}
          />
        </div>
        <button type="submit">{text.searchButton}</button>
        {language !== 'fr' ? <input type="hidden" name="hl" value={language} /> : null}
      </form>
      <div class="layout">
        <PageFilters model={model} />
        <main id="results" tabindex={-1} aria-labelledby="results-title">
          {model.result ? (
            <PageResults model={model} result={model.result} />
          ) : (
            <section class="intro">
              <h2 id="results-title">{text.title}</h2>
              <p>{text.intro}</p>
            </section>
          )}
          {model.result ? (
            <p class="follow">
              <a href={feedUrl(given)} type="application/atom+xml">
                {text.follow}
              </a>
            </p>
          ) : null}
        </main>
      </div>
    </PageShell>
  );
}

/** The document around any page of the site: head, header with the language switch, footer. */
export function PageShell(props: {
  model: Pick<PageModel, 'text' | 'language' | 'given' | 'assets'>;
  title: string;
  children: Child;
}) {
  const { text, language, given, assets } = props.model;
  const other = language === 'fr' ? 'en' : 'fr';
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={language}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          {assets ? <link rel="stylesheet" href={assets.css} /> : null}
          <link rel="alternate" type="application/atom+xml" title={text.follow} href={feedUrl(given)} />
          {assets ? <script src={assets.js} defer /> : null}
        </head>
        <body>
          <a class="skip" href="#results">
            {text.skip}
          </a>
          <header class="top">
            <p class="brand">
              <a href={pageUrl({}, language)}>{text.title}</a>
              <span class="tagline">{text.tagline}</span>
            </p>
            <a
              class="language"
              href={pageUrl(given, other, { page: given.page })}
              hreflang={other}
              lang={other}
            >
              {text.language}
            </a>
          </header>
          {props.children}
          <footer class="bottom">
            <p>
              {text.about} <a href="/v1/sources">{language === 'fr' ? 'Les sources' : 'The sources'}</a> ·{' '}
              <a href="/docs">API</a>
            </p>
          </footer>
        </body>
      </html>
    </>
  );
}
