/**
 * The search page's script (served as /page.js). The page works without it; it adds suggestions to
 * the search box, pickers for a territory and for my commune, and, only once the official ticks the
 * box, keeps my commune on this device (localStorage). It calls the same origin's public API.
 */
import { attachCombobox } from './combobox.ts';

interface TerritoryOption {
  code: string;
  name: string;
  level: string;
  departement: { code: string } | null;
}

const STORAGE_KEY = 'public-action-search:my-commune';
const english = document.documentElement.lang === 'en';
const TEXT = english
  ? { count: (n: number) => `${n} suggestion${n === 1 ? '' : 's'}`, mine: 'Towns like mine' }
  : { count: (n: number) => `${n} suggestion${n > 1 ? 's' : ''}`, mine: 'Communes comme la mienne' };
const LEVELS: Record<string, string> = english
  ? { commune: 'commune', epci: 'intercommunality', departement: 'département', region: 'région' }
  : { commune: 'commune', epci: 'intercommunalité', departement: 'département', region: 'région' };

const form = document.getElementById('search') as HTMLFormElement | null;

async function getJson<T>(path: string, signal: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as T;
}

function territories(query: string, signal: AbortSignal, communesOnly: boolean): Promise<TerritoryOption[]> {
  const url = `/v1/territories?q=${encodeURIComponent(query)}&limit=${communesOnly ? 20 : 8}`;
  return getJson<{ territories: TerritoryOption[] }>(url, signal).then((body) =>
    body.territories.filter((territory) => !communesOnly || territory.level === 'commune').slice(0, 8),
  );
}

function territoryLabel(territory: TerritoryOption): string {
  const departement =
    territory.level === 'commune' || territory.level === 'epci'
      ? `, ${territory.departement?.code ?? ''}`
      : '';
  return `${territory.name} (${LEVELS[territory.level] ?? territory.level}${departement})`;
}

/** Submits the form with `name` set to `value` in place of what was typed in `typed`. */
function submitWith(typed: HTMLInputElement, name: string, value: string): void {
  if (!form) return;
  typed.value = '';
  let hidden = form.querySelector<HTMLInputElement>(`input[type=hidden][name="${name}"]`);
  if (!hidden) {
    hidden = document.createElement('input');
    hidden.type = 'hidden';
    hidden.name = name;
    form.append(hidden);
  }
  hidden.value = value;
  form.requestSubmit();
}

function enhanceSearchBox(): void {
  const input = document.getElementById('q') as HTMLInputElement | null;
  if (!input || !form) return;
  attachCombobox<{ title: string }>({
    input,
    id: 'q-suggest',
    load: (query, signal) =>
      getJson<{ suggestions: { title: string }[] }>(
        `/v1/suggest?q=${encodeURIComponent(query)}`,
        signal,
      ).then((body) => body.suggestions),
    label: (suggestion) => suggestion.title,
    pick: (suggestion) => {
      input.value = suggestion.title;
      form.requestSubmit();
    },
    announce: TEXT.count,
  });
}

function enhanceTerritoryPickers(): void {
  for (const [id, name, communesOnly] of [
    ['where', 'territory', false],
    ['commune', 'like', true],
  ] as const) {
    const input = document.getElementById(id) as HTMLInputElement | null;
    if (!input) continue;
    attachCombobox<TerritoryOption>({
      input,
      id: `${id}-picker`,
      load: (query, signal) => territories(query, signal, communesOnly),
      label: territoryLabel,
      pick: (territory) => {
        if (communesOnly) remember({ code: territory.code, name: territory.name });
        submitWith(input, name, territory.code);
      },
      announce: TEXT.count,
    });
  }
}

/** My commune on this device: only with the box ticked, and forgotten when it is unticked. */
function rememberMyCommune(): void {
  const box = document.querySelector<HTMLElement>('[data-remember]');
  const checkbox = document.getElementById('remember') as HTMLInputElement | null;
  if (!box || !checkbox) return;
  box.hidden = false;
  const stored = readStored();
  checkbox.checked = stored !== null;
  const current = new URLSearchParams(location.search).get('like');
  const chosen = document.querySelector('.my-commune strong')?.textContent ?? '';
  checkbox.addEventListener('change', () => {
    if (!checkbox.checked) localStorage.removeItem(STORAGE_KEY);
    else if (current) localStorage.setItem(STORAGE_KEY, JSON.stringify({ code: current, name: chosen }));
  });
  if (current && stored && stored.code !== current) remember({ code: current, name: chosen });
  if (!current && stored) {
    const link = document.createElement('a');
    const query = new URLSearchParams(location.search);
    query.set('like', stored.code);
    query.delete('page');
    link.href = `/?${query.toString()}`;
    link.textContent = `${TEXT.mine} (${stored.name})`;
    const paragraph = document.createElement('p');
    paragraph.append(link);
    box.before(paragraph);
  }
}

function remember(commune: { code: string; name: string }): void {
  const checkbox = document.getElementById('remember') as HTMLInputElement | null;
  if (checkbox?.checked) localStorage.setItem(STORAGE_KEY, JSON.stringify(commune));
}

function readStored(): { code: string; name: string } | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as {
      code?: unknown;
      name?: unknown;
    } | null;
    return value &&
      typeof value.code === 'string' &&
      /^commune:[0-9AB]{5}$/.test(value.code) &&
      typeof value.name === 'string'
      ? { code: value.code, name: value.name }
      : null;
  } catch {
    return null;
  }
}

enhanceSearchBox();
enhanceTerritoryPickers();
rememberMyCommune();
