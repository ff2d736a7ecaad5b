import { snippetSegments } from '../../core/snippet-segments.ts';
import type { SearchHit, SearchResult } from '../search-documents.ts';
import { MAX_RESULT_DEPTH } from '../search-params.ts';
import { pageUrl } from './page-request.ts';
import type { PageModel } from './page-model.ts';
import { NoResults } from './page-no-results.tsx';
import { formatDay, formatEuros } from './page-text.ts';

/** The count, the sort, the hits and the pages of a search. */
export function PageResults({ model, result }: { model: PageModel; result: SearchResult }) {
  const { text, params } = model;
  const projects = params.type?.includes('projet') || result.hits.some((hit) => hit.project);
  const sorts = [
    ['relevance', text.sortRelevance],
    ['date', text.sortDate],
    ...(projects ? [['cost', text.sortCost] as const, ['grant', text.sortGrant] as const] : []),
  ] as const;
  return (
    <>
      <div class="results-head">
        <h2 id="results-title" aria-live="polite">
          {text.results(result.totalHits)}
          {result.totalPages > 1 ? (
            <span class="pages"> — {text.page(result.page, result.totalPages)}</span>
          ) : null}
        </h2>
        <p class="sort">
          <label for="sort">{text.sort}</label>{' '}
          <select id="sort" name="sort" form="search">
            {sorts.map(([value, label]) => (
              <option value={value} selected={params.sort === value}>
                {label}
              </option>
            ))}
          </select>{' '}
          <button type="submit" form="search" class="secondary">
            OK
          </button>
        </p>
      </div>
      {result.totalHits === 0 ? <NoResults model={model} /> : null}
      <ol class="hits" start={(result.page - 1) * result.hitsPerPage + 1}>
        {result.hits.map((hit) => (
          <Hit hit={hit} model={model} />
        ))}
      </ol>
      <Pagination
        model={model}
        page={result.page}
        pages={Math.min(result.totalPages, Math.floor(MAX_RESULT_DEPTH / result.hitsPerPage))}
      />
    </>
  );
}

function Hit({ hit, model }: { hit: SearchHit; model: PageModel }) {
  const { text, language } = model;
  const kind = text.kinds[hit.source.kind as keyof typeof text.kinds] ?? hit.source.kind;
  const project = hit.project;
  return (
    <li class={hit.promoted ? 'hit promoted' : 'hit'}>
      {hit.promoted ? <p class="promoted-label">{text.promoted}</p> : null}
      <h3>
        <a href={hit.url}>{hit.title}</a>
      </h3>
      <p class="provenance">
        <span class="source">
          {hit.source.name} ({kind})
        </span>
        {' · '}
        <span>
          {hit.territory.name}
          {hit.territory.level !== 'national'
            ? ` (${text.levels[hit.territory.level] ?? hit.territory.level})`
            : ''}
        </span>
        {/* A project's date is its dataset's year (on the line below), not a day it was published. */}
        {hit.publishedAt && !project ? (
          <>
            {' · '}
            {text.published} <time datetime={hit.publishedAt}>{formatDay(hit.publishedAt, language)}</time>
          </>
        ) : null}
        {' · '}
        {text.crawled} <time datetime={hit.crawledAt}>{formatDay(hit.crawledAt, language)}</time>
      </p>
      {project ? (
        <p class="project">
          <strong>{text.project}</strong>
          {project.beneficiary ? ` ${text.beneficiary} ${project.beneficiary}` : ''}
          {project.year ? ` · ${project.year}` : ''}
          {project.scheme ? ` · ${project.scheme}` : ''}
          {project.cost !== null ? ` · ${text.costShort} ${formatEuros(project.cost, language)}` : ''}
          {project.grant !== null ? ` · ${text.grantShort} ${formatEuros(project.grant, language)}` : ''}
        </p>
      ) : null}
      <p class="snippet">
        {snippetSegments(hit.snippet).map((segment) =>
          segment.marked ? <mark>{segment.text}</mark> : segment.text,
        )}
      </p>
      <p class="address">{project ? project.dataset.publisher : displayAddress(hit.url)}</p>
    </li>
  );
}

/** The original page's address as people read it: host and path, no scheme. */
function displayAddress(url: string): string {
  const parsed = new URL(url);
  return decodeURI(`${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`);
}

function Pagination({ model, page, pages }: { model: PageModel; page: number; pages: number }) {
  if (pages <= 1) return null;
  const { text, given, language } = model;
  const link = (target: number) =>
    pageUrl(given, language, { page: target === 1 ? undefined : String(target) });
  const around = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter(
    (candidate) => candidate >= 1 && candidate <= pages,
  );
  return (
    <nav class="pagination" aria-label={text.pagination}>
      <ul>
        {page > 1 ? (
          <li>
            <a href={link(page - 1)} rel="prev">
              {text.previous}
            </a>
          </li>
        ) : null}
        {around.map((candidate) => (
          <li>
            {candidate === page ? (
              <a href={link(candidate)} aria-current="page">
                {candidate}
              </a>
            ) : (
              <a href={link(candidate)} aria-label={`${text.page(candidate, pages)}`}>
                {candidate}
              </a>
            )}
          </li>
        ))}
        {page < pages ? (
          <li>
            <a href={link(page + 1)} rel="next">
              {text.next}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
