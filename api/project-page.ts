import type { SearchDocument } from '../core/search-document.ts';
import { escapeHtml } from './snippet.ts';

/**
 * The page of a project from a public dataset, for the officials a hit links to: what was done, by
 * whom, where, when, what it cost and what the State paid, and which dataset says so, with a link to
 * it. Plain HTML, no script: it works everywhere and is read aloud well. Every value is escaped.
 */
export function renderProjectPage(
  document: SearchDocument & { project: NonNullable<SearchDocument['project']> },
): string {
  const { project, territory } = document;
  const euros = (amount: number) => `${Math.round(amount).toLocaleString('fr-FR')} €`;
  const rate =
    project.cost && project.grant !== null && project.cost > 0
      ? ` (${Math.round((project.grant / project.cost) * 100)} % du coût)`
      : '';
  const where = [
    territory.name,
    territory.level !== 'departement' && territory.departement
      ? `${territory.departement.name} (${territory.departement.code})`
      : null,
    territory.level !== 'region' ? territory.region?.name : null,
  ]
    .filter(Boolean)
    .join(', ');
  const rows: [string, string | null][] = [
    ['Porté par', project.beneficiary],
    [
      'Territoire',
      where + (territory.population ? ` — ${territory.population.toLocaleString('fr-FR')} habitants` : ''),
    ],
    ['Année', project.year === null ? null : String(project.year)],
    ['Dispositif', project.scheme],
    ['Coût hors taxes', project.cost === null ? null : euros(project.cost)],
    ["Subvention de l'État", project.grant === null ? null : euros(project.grant) + rate],
  ];
  const facts = rows
    .filter((row): row is [string, string] => row[1] !== null && row[1] !== '')
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('\n');
  const dataset = project.dataset;
  const like =
    territory.level === 'commune'
      ? `<p><a href="/v1/search?like=${encodeURIComponent(territory.code)}&amp;type=projet">Les projets des communes de même taille du département</a> (API, JSON)</p>`
      : '';
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.title)} — ${escapeHtml(project.beneficiary ?? territory.name)}</title>
<style>
body { font: 1rem/1.5 system-ui, sans-serif; color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem; }
.kind { color: #4a4a4a; margin: 0; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .25rem 0 1.25rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1.25rem; }
dt { font-weight: 600; }
dd { margin: 0; }
a { color: #0b4f9c; }
a:focus-visible { outline: 3px solid #0b4f9c; outline-offset: 2px; }
.source { border-top: 1px solid #d0d0d0; margin-top: 2rem; padding-top: 1rem; color: #333; }
</style>
</head>
<body>
<main>
<p class="kind">Projet financé${project.scheme ? ` · ${escapeHtml(project.scheme)}` : ''}${project.year ? ` · ${project.year}` : ''}</p>
<h1>${escapeHtml(document.title)}</h1>
<dl>
${facts}
</dl>
${like}
<section class="source" aria-labelledby="source">
<h2 id="source">Source</h2>
<p>Données publiées par ${escapeHtml(dataset.publisher)}${dataset.licence ? ` sous ${escapeHtml(dataset.licence)}` : ''}.
${dataset.page ? `<a href="${escapeHtml(dataset.page)}">Présentation du jeu de données</a> · ` : ''}<a href="${escapeHtml(dataset.url)}">Fichier d'origine</a>.</p>
<p>Ligne lue le ${escapeHtml(document.crawledAt.slice(0, 10))} par public-action search, qui n'indexe que des sources de confiance.</p>
</section>
</main>
</body>
</html>`;
}
