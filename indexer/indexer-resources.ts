import path from 'node:path';
import type { Settings } from 'meilisearch';
import type { EmbedderSettings } from '../core/config.ts';
import { loadTerritoryRegistry, type TerritoryRegistry } from '../core/territory-registry.ts';
import { buildIndexSettings } from './index-settings.ts';
import { loadSynonymFiles, toMeilisearchSynonyms } from './synonyms.ts';
import { loadThemes, type ThemeTaxonomy } from './themes.ts';

/** The reviewed files and official data the indexer works from, loaded and validated once per process. */
export interface IndexerResources {
  taxonomy: ThemeTaxonomy;
  settings: Settings;
  territories: TerritoryRegistry;
}

export const THEMES_FILE = path.join(import.meta.dirname, 'themes.yaml');
export const SYNONYMS_FILE = path.join(import.meta.dirname, 'synonyms.yaml');
/** The vocabulary of public-action projects (dataset rows), built from the DGCL's titles. */
export const PROJECT_SYNONYMS_FILE = path.join(import.meta.dirname, 'synonyms-projects.yaml');

/** `embedder`: semantic search (MEILI_EMBEDDER), added to the index settings. */
export async function loadIndexerResources(
  options: { embedder?: EmbedderSettings } = {},
): Promise<IndexerResources> {
  const [taxonomy, synonyms, territories] = await Promise.all([
    loadThemes(THEMES_FILE),
    loadSynonymFiles([SYNONYMS_FILE, PROJECT_SYNONYMS_FILE]),
    loadTerritoryRegistry(),
  ]);
  return {
    taxonomy,
    settings: buildIndexSettings(toMeilisearchSynonyms(synonyms), options.embedder),
    territories,
  };
}
