import { escapeHtml } from './snippet.ts';

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: { type?: string; enum?: string[]; default?: unknown };
}
interface OpenApiDocument {
  info: { title: string; version: string };
  paths: Record<string, Record<string, { summary?: string; parameters?: OpenApiParameter[] }>>;
}

/**
 * A readable page of the API, generated from the same OpenAPI document (itself generated from the
 * zod schemas that validate requests), so it cannot drift. Self-contained: no script, no CDN.
 */
export function renderDocsPage(document: OpenApiDocument): string {
  const sections = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const rows = (operation.parameters ?? []).map((parameter) => {
        const values = parameter.schema?.enum ? ` One of: ${parameter.schema.enum.join(', ')}.` : '';
        const fallback =
          parameter.schema?.default !== undefined
            ? ` Default: ${JSON.stringify(parameter.schema.default)}.`
            : '';
        return `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${parameter.in}${parameter.required ? ', required' : ''}</td><td>${escapeHtml((parameter.description ?? '') + values + fallback)}</td></tr>`;
      });
      const table = rows.length
        ? `<table><tr><th>parameter</th><th>in</th><th>meaning</th></tr>${rows.join('')}</table>`
        : '';
      return `<section><h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2><p>${escapeHtml(operation.summary ?? '')}</p>${table}</section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(document.info.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}</style>
</head><body><h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
<p>Machine-readable description: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are JSON: <code>{"error":{"code","message","details"}}</code>.</p>
${sections.join('\n')}</body></html>`;
}
