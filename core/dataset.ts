import { z } from 'zod';

/** A column of a dataset file, by its name in the header row. */
const ColumnSchema = z.string().trim().min(1).max(200);

/**
 * Where each field of a project document comes from in a dataset's rows. Only `title` is required:
 * a dataset without amounts or without a grant scheme still says what was done, and where.
 */
export const ProjectColumnsSchema = z
  .object({
    /** The project's title, as published: the hit's title. */
    title: ColumnSchema,
    /** The year of the project (or of its funding): a 4-digit year. */
    year: ColumnSchema.optional(),
    /** A category kept as a facet: for State grants, the scheme (DETR, DSIL...). */
    scheme: ColumnSchema.optional(),
    /** Who carried the project (a commune, an EPCI...), and what kind of body it is. */
    beneficiary: ColumnSchema.optional(),
    beneficiaryType: ColumnSchema.optional(),
    /** Where: the INSEE code of a commune, the SIREN of an EPCI, a département code (first that resolves). */
    commune: ColumnSchema.optional(),
    epci: ColumnSchema.optional(),
    departement: ColumnSchema.optional(),
    /** Amounts in euros (a decimal comma is fine): what it cost, and the grant obtained. */
    cost: ColumnSchema.optional(),
    grant: ColumnSchema.optional(),
  })
  .strict();

export type ProjectColumns = z.infer<typeof ProjectColumnsSchema>;

const DatasetFileSchema = z
  .object({
    /** The file's URL, in scope of its source (checked when the sources file is loaded). */
    url: z.url({ protocol: /^https?$/ }),
    /** The year the file covers, when its rows do not say it. */
    year: z.number().int().min(1900).max(2100).optional(),
  })
  .strict();

/**
 * A source whose documents are the rows of published data files (CSV), not web pages: each row a
 * public-action project, with its own territory, year, scheme and amounts. Several years of one
 * dataset are several files of one source.
 */
export const DatasetSchema = z
  .object({
    /** What a row is. Funded local projects are the first kind. */
    rows: z.literal('projets'),
    /** Who publishes the data, cited on every project's page. */
    publisher: z.string().trim().min(1).max(200),
    /** The dataset's page (description, licence), linked from every project's page. */
    page: z.url({ protocol: /^https?$/ }).optional(),
    licence: z.string().trim().min(1).max(200).optional(),
    files: z.array(DatasetFileSchema).min(1).max(100),
    csv: z
      .object({
        /** Detected from the header line when absent. */
        delimiter: z.enum([';', ',', '\t']).optional(),
        /** Detected (a BOM, valid UTF-8, else Windows-1252) when absent. */
        encoding: z.enum(['utf-8', 'windows-1252']).optional(),
      })
      .strict()
      .prefault({}),
    /** The largest file read, in megabytes: files are read as a stream, never whole in memory. */
    maxFileMegabytes: z.number().positive().max(2000).default(200),
    /**
     * The columns that identify a row from one version of the file to the next (its natural key): a
     * changed file updates only the rows whose content changed, and deletes those no longer there.
     */
    key: z.array(ColumnSchema).min(1).max(20),
    columns: ProjectColumnsSchema,
  })
  .strict();

export type Dataset = z.infer<typeof DatasetSchema>;
export type DatasetFile = Dataset['files'][number];

/** What a project document carries beyond a page's fields (RawPage and SearchDocument). */
export const ProjectFieldsSchema = z.object({
  year: z.number().int().nullable(),
  scheme: z.string().nullable(),
  beneficiary: z.string().nullable(),
  beneficiaryType: z.string().nullable(),
  /** Euros, before tax. */
  cost: z.number().nullable(),
  grant: z.number().nullable(),
  /** The file the row was read from, and who published it: the project page cites both. */
  dataset: z.object({
    url: z.string(),
    publisher: z.string(),
    page: z.string().nullable(),
    licence: z.string().nullable(),
  }),
});

export type ProjectFields = z.infer<typeof ProjectFieldsSchema>;
