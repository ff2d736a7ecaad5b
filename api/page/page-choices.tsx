import type { Territory } from '../../core/territory.ts';
import { pageUrl } from './page-request.ts';
import type { PageModel } from './page-model.ts';

/** A territory as the page names it: "Frontignan (commune, 34)". */
export function territoryLabel(territory: Territory, model: Pick<PageModel, 'text'>): string {
  const level = model.text.levels[territory.level] ?? territory.level;
  const departement =
    territory.level !== 'departement' && territory.level !== 'region' && territory.departement
      ? `, ${territory.departement.code}`
      : '';
  return `${territory.name} (${level}${departement})`;
}

/** The territories a typed name matched, each a link applying it. */
export function Choices({
  model,
  choices,
  name,
}: {
  model: PageModel;
  choices: readonly Territory[];
  name: 'territory' | 'like';
}) {
  const { text, given, language } = model;
  if (choices.length === 0) return <p class="choices-none">{text.territoryNone}</p>;
  return (
    <div class="choices-box">
      <p>{text.territoryChoose}</p>
      <ul>
        {choices.map((territory) => (
          <li>
            <a href={pageUrl(given, language, { [name]: territory.code })}>
              {territoryLabel(territory, model)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
