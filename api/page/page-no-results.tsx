import { pageUrl } from './page-request.ts';
import { hasFilters, type PageModel, REMOVABLE_FILTERS } from './page-model.ts';
import type { PageText } from './page-text.ts';

/**
 * Nothing found: say so, offer the nearest spelling the index knows, and each filter as a link that
 * removes it, with how many results the search has without them.
 */
export function NoResults({ model }: { model: PageModel }) {
  const { text, given, language, noResult } = model;
  const withoutAll = Object.fromEntries([...REMOVABLE_FILTERS, 'likeArea'].map((name) => [name, undefined]));
  return (
    <div class="no-results">
      <p>{text.noResults}</p>
      {noResult?.suggestion ? (
        <p>
          {text.didYouMean} :{' '}
          <a href={pageUrl(given, language, { q: noResult.suggestion })} class="suggestion">
            {noResult.suggestion}
          </a>
        </p>
      ) : null}
      {hasFilters(given) ? (
        <>
          {noResult && noResult.withoutFilters > 0 ? (
            <p>
              <a href={pageUrl(given, language, withoutAll)}>
                {text.withoutFilters(noResult.withoutFilters)}
              </a>
            </p>
          ) : null}
          <p id="remove-filter">{text.removeFilter}</p>
          <ul aria-labelledby="remove-filter" class="remove-filters">
            {REMOVABLE_FILTERS.filter((name) => given[name] !== undefined).map((name) => (
              <li>
                <a
                  href={pageUrl(given, language, {
                    [name]: undefined,
                    ...(name === 'like' ? { likeArea: undefined } : {}),
                  })}
                >
                  {filterLabel(text, name)} : {valueLabel(model, name)} — {text.remove}
                </a>
              </li>
            ))}
            <li>
              <a href={pageUrl(given, language, withoutAll)}>{text.removeAll}</a>
            </li>
          </ul>
        </>
      ) : null}
    </div>
  );
}

function filterLabel(text: PageText, name: (typeof REMOVABLE_FILTERS)[number]): string {
  const labels: Record<(typeof REMOVABLE_FILTERS)[number], string> = {
    territory: text.territory,
    like: text.myCommuneUse,
    size: text.size,
    theme: text.theme,
    kind: text.kind,
    type: text.type,
    from: `${text.dates} (${text.from.toLowerCase()})`,
    to: `${text.dates} (${text.to.toLowerCase()})`,
    scheme: text.scheme,
    year: text.year,
    cost: text.cost,
    grant: text.grant,
    population: 'Population',
    source: text.source,
    lang: 'Langue',
  };
  return labels[name];
}

function valueLabel(model: PageModel, name: (typeof REMOVABLE_FILTERS)[number]): string {
  const raw = model.given[name] ?? '';
  const { text } = model;
  const each = (labels: Record<string, string>) =>
    raw
      .split(',')
      .map((value) => labels[value] ?? value)
      .join(', ');
  switch (name) {
    case 'territory':
      return model.territory?.name ?? raw;
    case 'like':
      return model.like?.commune.name ?? raw;
    case 'size':
      return each(text.sizes);
    case 'kind':
      return each(text.kinds);
    case 'type':
      return each(text.types);
    case 'theme':
      return each(Object.fromEntries(model.themes.map((theme) => [theme.slug, theme.label])));
    default:
      return raw;
  }
}
