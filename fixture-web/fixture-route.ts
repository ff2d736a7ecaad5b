import type { IncomingHttpHeaders } from 'node:http';
import { escapeHtml } from './html-escape.ts';

/** What the fixture server answers for one path. */
export interface FixtureResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** What a dynamic route is told about the request it answers. */
export interface FixtureRequest {
  method: string;
  /** Path and query exactly as requested, e.g. `/fiches/F1.html?x=1`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** 1 for the first request to this path on this server, 2 for the second… (e.g. "500, then 200"). */
  attempt: number;
}

/**
 * A static response, or a function computed per request: tests use functions for redirects that
 * depend on the Host header, slow pages (`await` a timer), flaky pages (fail on the first attempt)…
 */
export type FixtureRoute =
  FixtureResponse | ((request: FixtureRequest) => FixtureResponse | Promise<FixtureResponse>);

/** Routes by path (with or without query string). The server reads it on every request: edit it live. */
export type FixtureSite = Map<string, FixtureRoute>;

/** A site whose routes are all static, as built by `buildFicheSite`; it can be served as a `FixtureSite`. */
export type StaticFixtureSite = Map<string, FixtureResponse>;

export function htmlResponse(
  html: string,
  headers: Record<string, string> = {},
  status = 200,
): FixtureResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: html };
}

export function jsonResponse(value: unknown, status = 200): FixtureResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}

export function textResponse(text: string, status = 200, contentType = 'text/plain'): FixtureResponse {
  return { status, headers: { 'content-type': `${contentType}; charset=utf-8` }, body: text };
}

export function redirectResponse(location: string, status = 301): FixtureResponse {
  return {
    status,
    headers: { location, 'content-type': 'text/plain; charset=utf-8' },
    body: `Redirect to ${location}`,
  };
}

/** 404 in the format the client asked for: JSON for API-style clients, a small HTML page otherwise. */
export function notFoundResponse(path: string, accept: string | undefined): FixtureResponse {
  const wantsJson =
    accept !== undefined && accept.includes('application/json') && !accept.includes('text/html');
  if (wantsJson) return jsonResponse({ error: 'not_found', path }, 404);
  return htmlResponse(
    `<!DOCTYPE html>\n<html lang="fr">\n<head><meta charset="utf-8"><title>Page introuvable</title></head>\n` +
      `<body><main><h1>Page introuvable</h1><p>Aucune page à l'adresse ${escapeHtml(path)}.</p></main></body>\n</html>\n`,
    {},
    404,
  );
}
