import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from './errors.ts';
import { parseTerritoryCode, type TerritoryLevel } from './territory.ts';
import { type SizeBracket, sizeBracketOf } from './territory-size.ts';

export interface NamedCode {
  code: string;
  name: string;
}

/** A territory of the official administrative split, as documents carry it and filters match it. */
export interface Territory {
  /** As written in `sources.yaml`, e.g. `commune:34301`. */
  code: string;
  level: TerritoryLevel;
  name: string;
  /** For an EPCI spanning several départements (or régions): the one holding most of its inhabitants. */
  departement: NamedCode | null;
  region: NamedCode | null;
  /**
   * INSEE "population municipale" (each resident counted once, in one commune), so that a commune and
   * its EPCI are measured alike. Not `populationTotale`: it adds people "comptés à part" (students,
   * boarders…) who are also counted in another commune, so it double-counts across an EPCI.
   * Départements, régions and France: the sum over their communes. Null for the uninhabited TAAF.
   */
  population: number | null;
  /** Communes and EPCIs only. */
  sizeBracket: SizeBracket | null;
  /**
   * Every code a filter on a wider territory must match: itself, its EPCI (for a commune),
   * département(s), région(s); e.g. commune:34301 → commune:34301, epci:200066355, departement:34,
   * region:76. An EPCI spanning two départements lists both, its main one first.
   */
  codes: string[];
}

/** The fields read from `@etalab/decoupage-administratif`; the rest (postal codes, SIREN of communes…) is dropped. */
export interface AdministrativeData {
  communes: {
    code: string;
    nom: string;
    type: string;
    departement: string;
    region: string;
    population?: number;
  }[];
  epcis: { code: string; nom: string; populationMunicipale: number; membres: { code: string }[] }[];
  departements: { code: string; nom: string; region: string }[];
  regions: { code: string; nom: string }[];
}

/** The official territory list could not be read: the package is missing or its data is damaged. */
export class TerritoryDataError extends AppError {
  readonly code = 'territory_data_unreadable';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`Cannot read the official territory list ${file}: ${String(cause)}`, { cause });
  }
}

/** Reads the official split shipped in `@etalab/decoupage-administratif` (~35k communes, ~1 250 EPCIs). */
export async function loadTerritoryRegistry(dataDir = officialDataDir()): Promise<TerritoryRegistry> {
  // One file at a time, each reduced to the fields kept before the next is parsed: the raw communes
  // file alone is 8.6 MB of JSON and the crawler runs with a small heap.
  const communes = (await readJson<AdministrativeData['communes']>(dataDir, 'communes'))
    .filter((commune) => commune.type === 'commune-actuelle')
    .map(({ code, nom, type, departement, region, population }) => ({
      code,
      nom,
      type,
      departement,
      region,
      population,
    }));
  const epcis = (await readJson<AdministrativeData['epcis']>(dataDir, 'epci')).map(
    ({ code, nom, populationMunicipale, membres }) => ({
      code,
      nom,
      populationMunicipale,
      membres: membres.map((member) => ({ code: member.code })),
    }),
  );
  const departements = await readJson<AdministrativeData['departements']>(dataDir, 'departements');
  const regions = await readJson<AdministrativeData['regions']>(dataDir, 'regions');
  return TerritoryRegistry.fromData({ communes, epcis, departements, regions });
}

function officialDataDir(): string {
  const packageJson = createRequire(import.meta.url).resolve('@etalab/decoupage-administratif/package.json');
  return path.join(path.dirname(packageJson), 'data');
}

async function readJson<T>(dataDir: string, name: string): Promise<T> {
  const file = path.join(dataDir, `${name}.json`);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    throw new TerritoryDataError(file, error);
  }
}

const NATIONAL_NAME = 'France';

/** How a search result matched, best first. */
const MATCH = {
  exactCode: 0,
  // Région codes (76) collide with département numbers, and people mean the département ("le 76").
  exactRegionCode: 1,
  exactName: 2,
  namePrefix: 3,
  codePrefix: 4,
  wordPrefixes: 5,
  nameContains: 6,
} as const;
const MATCH_KINDS = Object.keys(MATCH).length;

const UNKNOWN_CODE_NOUNS: Record<Exclude<TerritoryLevel, 'national'>, string> = {
  commune: 'commune code',
  epci: 'EPCI SIREN',
  departement: 'département code',
  region: 'région code',
};

/** Among equally populated territories (Paris the commune and the département), the wider first. */
const BREADTH: Record<TerritoryLevel, number> = {
  national: 0,
  region: 1,
  departement: 2,
  epci: 3,
  commune: 4,
};

interface SearchEntry {
  territory: Territory;
  /** Folded name with a leading space, so that `includes(' ' + word)` tests a word prefix. */
  name: string;
  /** The official code, lower-case (2a004). */
  code: string;
}

/** The official territories, indexed by code and searchable by name. Load once, pass it around. */
export class TerritoryRegistry {
  readonly #byCode: Map<string, Territory>;
  /** Sorted by population, largest first: a search keeps the first matches of each kind. */
  readonly #entries: SearchEntry[];
  readonly counts: Record<Exclude<TerritoryLevel, 'national'>, number>;

  private constructor(territories: Territory[]) {
    this.#byCode = new Map(territories.map((territory) => [territory.code, territory]));
    this.#entries = territories
      .filter((territory) => territory.level !== 'national')
      .sort((a, b) => (b.population ?? -1) - (a.population ?? -1) || BREADTH[a.level] - BREADTH[b.level])
      .map((territory) => ({
        territory,
        name: ` ${foldForSearch(territory.name)}`,
        code: territory.code.slice(territory.code.indexOf(':') + 1).toLowerCase(),
      }));
    const count = (level: TerritoryLevel) => territories.filter((t) => t.level === level).length;
    this.counts = {
      commune: count('commune'),
      epci: count('epci'),
      departement: count('departement'),
      region: count('region'),
    };
  }

  static fromData(data: AdministrativeData): TerritoryRegistry {
    return new TerritoryRegistry(buildTerritories(data));
  }

  /** The territory of a `sources.yaml` code; undefined when malformed or not in the official list. */
  resolve(code: string): Territory | undefined {
    return this.#byCode.get(code);
  }

  /** Why a well-formed code does not resolve; undefined when it does, or is malformed (the schema says why). */
  unknownCodeProblem(code: string): string | undefined {
    const parsed = parseTerritoryCode(code);
    if ('error' in parsed || parsed.level === 'national' || this.#byCode.has(code)) return undefined;
    return `unknown ${UNKNOWN_CODE_NOUNS[parsed.level]} '${parsed.code}' (not in the official list)`;
  }

  /**
   * Communes, EPCIs, départements and régions by name or code, accent- and case-insensitive, every
   * query word a word prefix ("sete agglo"). Ranked by how they match (`MATCH`), then by population.
   */
  search(query: string, limit = 10): Territory[] {
    const direct = this.resolve(query.trim());
    if (direct) return limit > 0 ? [direct] : [];
    const folded = foldForSearch(query);
    if (!folded || limit <= 0) return [];
    const words = folded.split(' ');
    const prepared: PreparedQuery = {
      folded,
      whole: ` ${folded}`,
      wordStarts: words.map((word) => ` ${word}`),
      // Every name match contains every word: testing the longest first skips most of the 35k names.
      longestWord: words.reduce((a, b) => (b.length > a.length ? b : a)),
    };
    const matches: Territory[][] = Array.from({ length: MATCH_KINDS }, () => []);
    for (const entry of this.#entries) {
      const kind = matchKind(entry, prepared);
      const bucket = kind === undefined ? undefined : matches[kind];
      if (bucket && bucket.length < limit) bucket.push(entry.territory);
    }
    return matches.flat().slice(0, limit);
  }
}

interface PreparedQuery {
  folded: string;
  whole: string;
  wordStarts: string[];
  longestWord: string;
}

function matchKind({ territory, name, code }: SearchEntry, query: PreparedQuery): number | undefined {
  if (code === query.folded) return territory.level === 'region' ? MATCH.exactRegionCode : MATCH.exactCode;
  const mayMatchName = name.includes(query.longestWord);
  if (mayMatchName && name === query.whole) return MATCH.exactName;
  if (mayMatchName && name.startsWith(query.whole)) return MATCH.namePrefix;
  if (code.startsWith(query.folded)) return MATCH.codePrefix;
  if (!mayMatchName) return undefined;
  if (query.wordStarts.every((start) => name.includes(start))) return MATCH.wordPrefixes;
  return name.includes(query.folded) ? MATCH.nameContains : undefined;
}

/** Lower case, no accents, words of [a-z0-9] separated by one space: "L'Haÿ-les-Roses" → "l hay les roses". */
function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A wider territory as its members refer to it; objects shared by all of them, to keep memory low. */
interface Wider {
  ref: NamedCode;
  code: string;
}

function buildTerritories(data: AdministrativeData): Territory[] {
  // Only codes `sources.yaml` can spell: the overseas collectivities (région 975, département 987…)
  // have official codes outside those formats, and a commune there simply has no département/région.
  const wellFormed = (level: TerritoryLevel, code: string) =>
    !('error' in parseTerritoryCode(`${level}:${code}`));
  const communes = data.communes.filter(
    (commune) => commune.type === 'commune-actuelle' && wellFormed('commune', commune.code),
  );
  const communeByCode = new Map(communes.map((commune) => [commune.code, commune]));

  const populationOf = new Map<string, number>();
  const addPopulation = (code: string, population: number) =>
    populationOf.set(code, (populationOf.get(code) ?? 0) + population);
  for (const commune of communes) {
    addPopulation(`departement:${commune.departement}`, commune.population ?? 0);
    addPopulation(`region:${commune.region}`, commune.population ?? 0);
    addPopulation('national', commune.population ?? 0);
  }

  const territories: Territory[] = [];
  const regions = new Map<string, Wider>();
  for (const { code, nom } of data.regions.filter((region) => wellFormed('region', region.code))) {
    const wider = { ref: { code, name: nom }, code: `region:${code}` };
    regions.set(code, wider);
    territories.push(wideTerritory('region', wider, null, wider, populationOf));
  }
  const departements = new Map<string, Wider>();
  for (const { code, nom, region } of data.departements.filter((d) => wellFormed('departement', d.code))) {
    const wider = { ref: { code, name: nom }, code: `departement:${code}` };
    departements.set(code, wider);
    territories.push(wideTerritory('departement', wider, wider, regions.get(region) ?? null, populationOf));
  }

  const epciOfCommune = new Map<string, string>();
  for (const epci of data.epcis.filter((e) => wellFormed('epci', e.code))) {
    const code = `epci:${epci.code}`;
    const inhabitants = { departements: new Map<Wider, number>(), regions: new Map<Wider, number>() };
    for (const member of epci.membres) {
      epciOfCommune.set(member.code, code);
      const commune = communeByCode.get(member.code);
      if (!commune) continue;
      countInhabitants(inhabitants.departements, departements.get(commune.departement), commune.population);
      countInhabitants(inhabitants.regions, regions.get(commune.region), commune.population);
    }
    const byInhabitants = (counts: Map<Wider, number>) =>
      [...counts].sort((a, b) => b[1] - a[1]).map(([wider]) => wider);
    const spannedDepartements = byInhabitants(inhabitants.departements);
    const spannedRegions = byInhabitants(inhabitants.regions);
    territories.push({
      code,
      level: 'epci',
      name: epci.nom,
      departement: spannedDepartements[0]?.ref ?? null,
      region: spannedRegions[0]?.ref ?? null,
      population: epci.populationMunicipale,
      sizeBracket: sizeBracketOf(epci.populationMunicipale),
      codes: [code, ...spannedDepartements.map((d) => d.code), ...spannedRegions.map((r) => r.code)],
    });
  }

  for (const commune of communes) {
    const code = `commune:${commune.code}`;
    const epci = epciOfCommune.get(commune.code);
    const departement = departements.get(commune.departement);
    const region = regions.get(commune.region);
    const population = commune.population ?? null;
    territories.push({
      code,
      level: 'commune',
      name: commune.nom,
      departement: departement?.ref ?? null,
      region: region?.ref ?? null,
      population,
      sizeBracket: population === null ? null : sizeBracketOf(population),
      codes: [code, epci, departement?.code, region?.code].filter((c): c is string => c !== undefined),
    });
  }

  territories.push({
    code: 'national',
    level: 'national',
    name: NATIONAL_NAME,
    departement: null,
    region: null,
    population: populationOf.get('national') ?? null,
    sizeBracket: null,
    codes: ['national'],
  });
  return territories;
}

function wideTerritory(
  level: 'departement' | 'region',
  self: Wider,
  departement: Wider | null,
  region: Wider | null,
  populationOf: Map<string, number>,
): Territory {
  return {
    code: self.code,
    level,
    name: self.ref.name,
    departement: departement?.ref ?? null,
    region: region?.ref ?? null,
    population: populationOf.get(self.code) ?? null,
    sizeBracket: null,
    codes: level === 'region' || !region ? [self.code] : [self.code, region.code],
  };
}

function countInhabitants(counts: Map<Wider, number>, wider: Wider | undefined, population = 0): void {
  if (wider) counts.set(wider, (counts.get(wider) ?? 0) + population);
}
