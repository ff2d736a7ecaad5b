/**
 * The partners' widget, served as /widget.js: `<script src=".../widget.js" data-key="KEY"></script>`
 * then `<public-action-search></public-action-search>` anywhere in the page. A web component with a
 * shadow root: the host's CSS cannot break it, it cannot break the host. No framework. Every request
 * carries the partner's key; the API applies the partner's scope whatever the request says.
 *
 * Attributes: key, lang (fr, en), territory, themes, kinds, sources, type (narrow the search further),
 * accent, background, text-color (#rgb or #rrggbb), results (inline, or page: open the full page),
 * hits (results per page, default 5).
 */
import { attachCombobox } from './combobox.ts';
import { renderHit, type WidgetHit } from './widget-hits.ts';
import { WIDGET_CSS } from './widget-style.ts';
import { WIDGET_TEXT, type WidgetText } from './widget-text.ts';

interface SearchAnswer {
  hits: WidgetHit[];
  totalHits: number;
  page: number;
  totalPages: number;
  facets?: { theme?: Record<string, number>; type?: Record<string, number> };
  /** With a partner's key: the partner, and the scope the API held every result to. */
  scope?: {
    partner: string;
    sources?: string[];
    kinds?: string[];
    themes?: string[];
    territories?: string[];
  };
}

// Read while this script runs: the API is where the script came from.
const script = document.currentScript as HTMLScriptElement | null;
const API = new URL(script?.src ?? location.href).origin;
const SCRIPT_KEY = script?.dataset.key ?? '';
const NARROWING = [
  ['territory', 'territory'],
  ['themes', 'theme'],
  ['kinds', 'kind'],
  ['sources', 'source'],
  ['type', 'type'],
] as const;
const COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
let instances = 0;

class PublicActionSearch extends HTMLElement {
  readonly #root = this.attachShadow({ mode: 'open' });
  readonly #chosen = { theme: new Set<string>(), type: new Set<string>() };
  #text: WidgetText = WIDGET_TEXT.fr;
  #query = '';
  #page = 1;
  /** The partner's scope as the API last stated it (none without a key). */
  #scope: SearchAnswer['scope'];
  #themes: Promise<Map<string, string>> | undefined;
  #built = false;
  readonly #parts = {} as Record<
    'input' | 'status' | 'scope' | 'facets' | 'list' | 'more' | 'full',
    HTMLElement
  >;

  connectedCallback(): void {
    if (this.#built) return;
    this.#built = true;
    const lang = (this.getAttribute('lang') ?? document.documentElement.lang ?? 'fr').slice(0, 2);
    this.#text = lang === 'en' ? WIDGET_TEXT.en : WIDGET_TEXT.fr;
    for (const [attribute, property] of [
      ['accent', '--pas-accent'],
      ['background', '--pas-background'],
      ['text-color', '--pas-text'],
    ] as const) {
      const value = this.getAttribute(attribute);
      if (value && COLOUR.test(value)) this.style.setProperty(property, value);
    }
    this.#build();
  }

  #build(): void {
    const text = this.#text;
    const id = `pas-${++instances}`;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_CSS);
    this.#root.adoptedStyleSheets = [sheet];
    const form = this.#make('form', { role: 'search' }) as HTMLFormElement;
    const label = this.#make('label', { for: `${id}-q` }, text.label);
    const combo = this.#make('div', { class: 'combo' });
    const input = this.#make('input', {
      id: `${id}-q`,
      type: 'search',
      placeholder: text.placeholder,
      autocomplete: 'off',
    }) as HTMLInputElement;
    combo.append(input);
    form.append(label, combo, this.#make('button', { type: 'submit' }, text.button));
    const parts = this.#parts;
    parts.input = input;
    parts.scope = this.#make('p', { class: 'scope', hidden: '' });
    parts.facets = this.#make('div', { class: 'facets' });
    parts.status = this.#make('p', { class: 'status', role: 'status' });
    parts.list = this.#make('ol', { class: 'hits' });
    parts.more = this.#make('button', { type: 'button', class: 'more', hidden: '' }, text.more);
    parts.full = this.#make('a', { class: 'full', hidden: '' }, text.full);
    this.#root.append(form, parts.scope, parts.facets, parts.status, parts.list, parts.more, parts.full);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#query = input.value.trim();
      if (this.getAttribute('results') === 'page') void this.#openFullPage();
      else void this.#search(1);
    });
    parts.more.addEventListener('click', () => void this.#search(this.#page + 1));
    attachCombobox<{ title: string }>({
      input,
      id: `${id}-suggest`,
      load: (query, signal) =>
        this.#get<{ suggestions: { title: string }[] }>('/v1/suggest', { q: query }, signal).then(
          (body) => body.suggestions,
        ),
      label: (suggestion) => suggestion.title,
      pick: (suggestion) => {
        input.value = suggestion.title;
        form.requestSubmit();
      },
      announce: text.suggestions,
    });
  }

  #make(tag: string, attributes: Record<string, string> = {}, textContent?: string): HTMLElement {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    if (textContent !== undefined) element.textContent = textContent;
    return element;
  }

  /** The search's parameters: the query, the element's narrowing attributes, the facets chosen. */
  #params(): Record<string, string> {
    const params: Record<string, string> = { q: this.#query };
    for (const [attribute, name] of NARROWING) {
      const value = this.getAttribute(attribute);
      if (value) params[name] = value;
    }
    for (const name of ['theme', 'type'] as const) {
      if (this.#chosen[name].size > 0 && !params[name]) params[name] = [...this.#chosen[name]].join(',');
    }
    return params;
  }

  /**
   * The full page takes no key (it is the public page): the partner's scope goes along as the page's
   * own filters, where one filter can say it (a single territory; lists of sources, kinds, themes), so
   * that a visitor leaving the widget does not fall on results from outside it.
   */
  #fullPageUrl(): string {
    const query = new URLSearchParams(this.#params());
    const scope = this.#scope;
    if (scope) {
      for (const [name, values] of [
        ['source', scope.sources],
        ['kind', scope.kinds],
        ['theme', scope.themes],
      ] as const) {
        if (values?.length && !query.has(name)) query.set(name, values.join(','));
      }
      const [territory, ...others] = scope.territories ?? [];
      if (territory && others.length === 0 && !query.has('territory')) query.set('territory', territory);
    }
    if (this.#text === WIDGET_TEXT.en) query.set('hl', 'en');
    return `${API}/?${query.toString()}`;
  }

  /** Results on the full page: the scope is asked for first (one hit's search), then the page opened. */
  async #openFullPage(): Promise<void> {
    if (!this.#scope) {
      try {
        this.#scope = (
          await this.#get<SearchAnswer>('/v1/search', { ...this.#params(), hitsPerPage: '1' })
        ).scope;
      } catch {
        // The page opens all the same: the visitor asked for it.
      }
    }
    location.assign(this.#fullPageUrl());
  }

  async #get<T>(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<T> {
    const key = this.getAttribute('key') ?? SCRIPT_KEY;
    const query = new URLSearchParams({ ...params, ...(key ? { key } : {}) });
    // A refused or unreachable API (CORS, network) is a TypeError the visitor needs no details of.
    const response = await fetch(`${API}${path}?${query.toString()}`, {
      signal: signal ?? null,
      credentials: 'omit',
    }).catch((error: unknown) => {
      throw error instanceof DOMException && error.name === 'AbortError'
        ? error
        : new Error(this.#text.failed);
    });
    if (response.status === 429)
      throw new Error(this.#text.tooMany(response.headers.get('Retry-After') ?? '60'));
    if (!response.ok) throw new Error(this.#text.failed);
    return (await response.json()) as T;
  }

  async #search(page: number): Promise<void> {
    const { status, list, more, full, scope } = this.#parts;
    const hitsPerPage = String(Math.min(Math.max(Number(this.getAttribute('hits')) || 5, 1), 20));
    let answer: SearchAnswer;
    try {
      answer = await this.#get<SearchAnswer>('/v1/search', {
        ...this.#params(),
        page: String(page),
        hitsPerPage,
        facets: 'theme,type',
      });
    } catch (error) {
      status.textContent = error instanceof Error ? error.message : this.#text.failed;
      return;
    }
    this.#page = page;
    this.#scope = answer.scope;
    if (page === 1) list.replaceChildren();
    list.append(...answer.hits.map((hit) => renderHit(hit, this.#text, document)));
    status.textContent = this.#text.results(answer.totalHits);
    more.hidden = answer.page >= answer.totalPages;
    full.setAttribute('href', this.#fullPageUrl());
    full.hidden = false;
    scope.hidden = !answer.scope;
    scope.textContent = answer.scope ? `${this.#text.scope} ${answer.scope.partner}` : '';
    await this.#renderFacets(answer);
  }

  async #renderFacets(answer: SearchAnswer): Promise<void> {
    const groups: HTMLElement[] = [];
    const themeLabels = await this.#themeLabels();
    for (const [name, labels, groupLabel] of [
      ['theme', themeLabels, this.#text.filterTheme],
      ['type', new Map(Object.entries(this.#text.types)), this.#text.filterType],
    ] as const) {
      if (this.getAttribute(name === 'theme' ? 'themes' : 'type')) continue;
      const counts = Object.entries(answer.facets?.[name] ?? {})
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6);
      const group = this.#make('div', { role: 'group', 'aria-label': groupLabel, class: 'facets' });
      for (const [value, count] of counts) {
        const chosen = this.#chosen[name].has(value);
        const button = this.#make(
          'button',
          { type: 'button', class: 'chip', 'aria-pressed': String(chosen) },
          `${labels.get(value) ?? value} (${count})`,
        );
        button.addEventListener('click', () => {
          if (chosen) this.#chosen[name].delete(value);
          else this.#chosen[name].add(value);
          void this.#search(1).then(() =>
            this.#parts.facets.querySelector<HTMLElement>(`[data-value="${CSS.escape(value)}"]`)?.focus(),
          );
        });
        button.dataset.value = value;
        group.append(button);
      }
      if (counts.length > 0) groups.push(group);
    }
    this.#parts.facets.replaceChildren(...groups);
  }

  #themeLabels(): Promise<Map<string, string>> {
    this.#themes ??= this.#get<{ themes: { slug: string; label: string }[] }>('/v1/themes', {})
      .then((body) => new Map(body.themes.map((theme) => [theme.slug, theme.label])))
      .catch(() => new Map<string, string>());
    return this.#themes;
  }
}

if (!customElements.get('public-action-search'))
  customElements.define('public-action-search', PublicActionSearch);
