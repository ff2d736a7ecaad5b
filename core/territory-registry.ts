import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from './errors.ts';
import { type NamedCode, parseTerritoryCode, type Territory, type TerritoryLevel } from './territory.ts';
import { TerritorySearch } from './territory-search.ts';
import { sizeBracketOf } from './territory-size.ts';

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

const UNKNOWN_CODE_NOUNS: Record<Exclude<TerritoryLevel, 'national'>, string> = {
  commune: 'commune code',
  epci: 'EPCI SIREN',
  departement: 'département code',
  region: 'région code',
};

/** The official territories, indexed by code and searchable by name. Load once, pass it around. */
export class TerritoryRegistry {
  readonly #byCode: Map<string, Territory>;
  readonly #search: TerritorySearch;
  readonly counts: Record<Exclude<TerritoryLevel, 'national'>, number>;

  private constructor(territories: Territory[]) {
    this.#byCode = new Map(territories.map((territory) => [territory.code, territory]));
    this.#search = new TerritorySearch(territories, (code) => this.resolve(code));
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

  /** Territories by name or code, best match first (`TerritorySearch` says how they rank). */
  search(query: string, limit = 10): Territory[] {
    return this.#search.search(query, limit);
  }
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
