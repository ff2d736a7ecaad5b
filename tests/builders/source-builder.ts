import { type Source, SourceSchema } from '../../core/source.ts';

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
