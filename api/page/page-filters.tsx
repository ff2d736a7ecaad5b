import { listOf, pageUrl } from './page-request.ts';
import type { PageModel } from './page-model.ts';
import { Choices, territoryLabel } from './page-choices.tsx';
import { MyCommune } from './page-my-commune.tsx';

/** Amount ranges offered for a project's cost and grant, as the API's MIN-MAX ranges. */
const AMOUNT_RANGES = [
  ['-50000', '< 50 000 €'],
  ['50000-200000', '50 000 – 200 000 €'],
  ['200000-1000000', '200 000 € – 1 M€'],
  ['1000000-', '> 1 M€'],
] as const;

/**
 * The filters, in the search form (`form="search"`): a submit applies them all at once, with or
 * without JavaScript. Each value shows its count in the current results.
 */
export function PageFilters({ model }: { model: PageModel }) {
  const { text, given, result } = model;
  const counts = result?.facets ?? {};
  const themeLabels = new Map(model.themes.map((theme) => [theme.slug, theme.label]));
  const themes = [...themeLabels.keys()]
    .filter((slug) => (counts.theme?.[slug] ?? 0) > 0 || listOf(given, 'theme').has(slug))
    .sort((a, b) => (counts.theme?.[b] ?? 0) - (counts.theme?.[a] ?? 0));
  const showProjects =
    (counts.type?.projet ?? 0) > 0 ||
    ['scheme', 'year', 'cost', 'grant'].some((name) => given[name]) ||
    listOf(given, 'type').has('projet');
  return (
    <aside class="filters" aria-labelledby="filters-title">
      <h2 id="filters-title">{text.filters}</h2>
      <MyCommune model={model} />
      <TerritoryPicker model={model} />
      <Checkboxes name="size" legend={text.size} model={model} values={Object.entries(text.sizes)} />
      {themes.length > 0 ? (
        <Checkboxes
          name="theme"
          legend={text.theme}
          model={model}
          values={themes.map((slug) => [slug, text.themes[slug] ?? themeLabels.get(slug) ?? slug])}
        />
      ) : null}
      <Checkboxes name="kind" legend={text.kind} model={model} values={Object.entries(text.kinds)} />
      <Checkboxes name="type" legend={text.type} model={model} values={Object.entries(text.types)} />
      <fieldset>
        <legend>{text.dates}</legend>
        <p class="dates">
          <label for="from">{text.from}</label>
          <input id="from" name="from" type="date" form="search" value={given.from ?? ''} />
          <label for="to">{text.to}</label>
          <input id="to" name="to" type="date" form="search" value={given.to ?? ''} />
        </p>
      </fieldset>
      {showProjects ? (
        <>
          <Checkboxes
            name="scheme"
            legend={text.scheme}
            model={model}
            values={Object.keys(counts.scheme ?? {})
              .sort()
              .map((value) => [value, value])}
          />
          <Checkboxes
            name="year"
            legend={text.year}
            model={model}
            values={Object.keys(counts.year ?? {})
              .sort()
              .reverse()
              .map((value) => [value, value])}
          />
          <AmountSelect name="cost" label={text.cost} model={model} />
          <AmountSelect name="grant" label={text.grant} model={model} />
        </>
      ) : null}
      <button type="submit" form="search" class="apply">
        {text.applyFilters}
      </button>
    </aside>
  );
}

function Checkboxes(props: {
  name: string;
  legend: string;
  model: PageModel;
  values: readonly (readonly [string, string])[];
}) {
  const checked = listOf(props.model.given, props.name);
  const counts = props.model.result?.facets?.[props.name as 'kind'] ?? {};
  if (props.values.length === 0) return null;
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <ul class="choices">
        {props.values.map(([value, label]) => (
          <li>
            <label>
              <input
                type="checkbox"
                name={props.name}
                value={value}
                form="search"
                checked={checked.has(value)}
              />{' '}
              {label}{' '}
              {props.model.result ? (
                <span class="count">({(counts[value] ?? 0).toLocaleString('fr-FR')})</span>
              ) : null}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function AmountSelect({ name, label, model }: { name: 'cost' | 'grant'; label: string; model: PageModel }) {
  const current = model.given[name] ?? '';
  const known = AMOUNT_RANGES.some(([value]) => value === current);
  return (
    <p class="amount">
      <label for={name}>{label}</label>
      <select id={name} name={name} form="search">
        <option value="">{model.text.anyAmount}</option>
        {known || current === '' ? null : (
          <option value={current} selected>
            {current}
          </option>
        )}
        {AMOUNT_RANGES.map(([value, text]) => (
          <option value={value} selected={value === current}>
            {text}
          </option>
        ))}
      </select>
    </p>
  );
}

/** A territory by name: typed (and resolved by the server, or suggested by page.js), shown, removable. */
function TerritoryPicker({ model }: { model: PageModel }) {
  const { text, given, language, territory, whereChoices } = model;
  return (
    <fieldset>
      <legend>{text.territory}</legend>
      {territory ? (
        <p class="chosen">
          <input type="hidden" name="territory" value={territory.code} form="search" />
          {territoryLabel(territory, model)}{' '}
          <a
            href={pageUrl(given, language, { territory: undefined })}
            aria-label={`${text.remove} : ${territory.name}`}
          >
            {text.remove}
          </a>
        </p>
      ) : null}
      <div class="combo" data-combobox="territory">
        <label for="where">{text.territoryHint}</label>
        <input
          id="where"
          name="where"
          type="text"
          form="search"
          autocomplete="off"
          value={whereChoices?.typed ?? ''}
        />
      </div>
      {whereChoices ? <Choices model={model} choices={whereChoices.candidates} name="territory" /> : null}
    </fieldset>
  );
}
