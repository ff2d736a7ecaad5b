import type { OpenAPIHono } from '@hono/zod-openapi';
import { InvalidParametersError } from '../../core/errors.ts';
import { curateSearch } from '../admin/search-curation.ts';
import type { AppDependencies } from '../app-dependencies.ts';
import type { AppEnv } from '../app-env.ts';
import type { BrowserAsset } from '../browser-assets.ts';
import { nearestSpelling } from '../page/nearest-spelling.ts';
import { pageHeaders } from '../page/page-headers.ts';
import { hasFilters, type PageModel } from '../page/page-model.ts';
import { pageUrl, readPageRequest } from '../page/page-request.ts';
import { pageText } from '../page/page-text.ts';
import { renderSearchPage } from '../page/search-page.tsx';
import { clientOf } from '../rate-limit.ts';
import { chooseTerritory } from '../page/territory-choice.ts';
import { SearchParamsSchema } from '../search-params.ts';
import type { SearchService } from '../search-service.ts';

/** `/`, the officials' search page, and the files browsers load: its script and style, the widget. */
export function registerSearchPageRoutes(
  app: OpenAPIHono<AppEnv>,
  deps: AppDependencies,
  search: SearchService,
): void {
  const { territories } = deps.resources;
  const assets = deps.assets;
  const themes = deps.resources.taxonomy.themes.map((theme) => ({ slug: theme.slug, label: theme.label }));

  app.get('/', async (c) => {
    pageHeaders(c);
    const request = readPageRequest(new URL(c.req.url));
    if (!request.search.ok) throw new InvalidParametersError(request.search.problems);
    const { params } = request.search;
    const { language, given } = request;
    const model: PageModel = {
      language,
      text: pageText(language),
      given,
      params,
      themes,
      ...(assets
        ? {
            assets: {
              css: `/page.css?v=${assets.pageCss.version}`,
              js: `/page.js?v=${assets.pageJs.version}`,
            },
          }
        : {}),
    };
    // A territory or commune typed by name (no JavaScript): one match is applied by a redirect, so
    // the URL says `territory` or `like` like the API's; several are offered as links.
    if (request.where) {
      const choice = chooseTerritory(territories, request.where);
      if ('chosen' in choice)
        return c.redirect(pageUrl(given, language, { territory: choice.chosen.code }), 302);
      model.whereChoices = { typed: request.where, candidates: choice.candidates };
    }
    if (request.commune) {
      const choice = chooseTerritory(territories, request.commune, { communesOnly: true });
      if ('chosen' in choice) return c.redirect(pageUrl(given, language, { like: choice.chosen.code }), 302);
      model.communeChoices = { typed: request.commune, candidates: choice.candidates };
    }
    const territory = params.territory ? territories.resolve(params.territory) : undefined;
    if (territory) model.territory = territory;
    const commune = params.like ? territories.resolve(params.like) : undefined;
    if (commune) {
      const areaLevel = params.likeArea === 'region' ? 'region' : 'departement';
      model.like = {
        commune,
        areaLevel,
        areaName: (areaLevel === 'region' ? commune.region : commune.departement)?.name ?? '',
      };
    }
    // The first visit asks nothing: no search to pay for.
    if (params.q !== '' || hasFilters(given)) {
      // The same promoted results as the API's, and the search counted for the insights.
      // With the request's logger: a warning about promoted results carries the request's id.
      const found = await search(params, { requestUrl: c.req.url });
      model.result = await curateSearch({ ...deps, log: c.get('log') }, params, found, {
        client: clientOf(c, deps.trustProxy ?? false),
        requestUrl: c.req.url,
      });
      if (model.result.totalHits === 0) {
        const [withoutFilters, suggestion] = await Promise.all([
          hasFilters(given) && params.q !== ''
            ? search(SearchParamsSchema.parse({ q: params.q, hitsPerPage: '1' }), {
                requestUrl: c.req.url,
              }).then((result) => result.totalHits)
            : 0,
          params.q !== '' ? nearestSpelling(deps.client, deps.indexUid, params.q, []) : null,
        ]);
        model.noResult = { withoutFilters, suggestion };
      }
    }
    c.header('Cache-Control', 'public, max-age=30');
    c.header('Content-Language', language);
    return c.html(renderSearchPage(model));
  });

  const serve = (
    route: string,
    pick: (found: NonNullable<typeof assets>) => BrowserAsset,
    cacheControl: (versioned: boolean) => string,
  ) =>
    app.get(route, (c) => {
      if (!assets) return c.notFound();
      const asset = pick(assets);
      c.header('Content-Type', asset.contentType);
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Cache-Control', cacheControl(c.req.query('v') === asset.version));
      return c.body(asset.body);
    });
  // Versioned URLs (the page's links) never change; the bare URL a partner pastes is checked often.
  const pageCaching = (versioned: boolean) =>
    versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
  serve('/page.js', (found) => found.pageJs, pageCaching);
  serve('/page.css', (found) => found.pageCss, pageCaching);
  app.get('/widget.js', (c) => {
    if (!assets) return c.notFound();
    c.header('Content-Type', assets.widgetJs.contentType);
    c.header('X-Content-Type-Options', 'nosniff');
    // Loaded by partners' pages, from their origins.
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(assets.widgetJs.body);
  });
}
