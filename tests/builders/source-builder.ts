import { type Source, SourceSchema } from '../../core/source.ts';
import type { ServedSite } from '../../fixture-web/site-server.ts';

/** A valid source with overridable fields, parsed like sources.yaml would be. */
export function aSource(overrides: Partial<Record<keyof Source, unknown>> = {}): Source {
  return SourceSchema.parse({
    id: 'frontignan',
    name: 'Frontignan',
    kind: 'collectivite',
    url: 'https://www.frontignan.fr/',
    territory: 'commune:34108',
    ...overrides,
  });
}

/** A town's site served on 127.0.0.1 as a source, with default politeness unless `crawl` says otherwise. */
export function aSiteSource(id: string, site: ServedSite, crawl: Record<string, unknown> = {}): Source {
  return SourceSchema.parse({
    id,
    name: `Source ${id}`,
    kind: 'collectivite',
    url: `${site.origin}/`,
    territory: 'national',
    crawl,
  });
}
