/* global document, sessionStorage, fetch, window, URLSearchParams */
// The admin page: plain DOM, no framework and no third-party script (the page's CSP allows only
// this file). Every text from the API is set with textContent, never parsed as HTML.
'use strict';

const TOKEN_KEY = 'pas-admin-token';
const $ = (id) => document.getElementById(id);

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function say(text) {
  $('message').textContent = text;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json().catch(() => ({}));
  if (response.status === 401) {
    logout();
    throw new Error('Jeton refusé.');
  }
  if (!response.ok) {
    const details = (payload.error?.details ?? []).map((d) => `${d.parameter}: ${d.message}`).join('; ');
    throw new Error(`${payload.error?.message ?? response.statusText}${details ? ` (${details})` : ''}`);
  }
  return payload;
}

/** Runs an action, then says what happened and reloads the lists. */
async function act(label, run) {
  say(`${label}…`);
  try {
    const result = await run();
    say(`${label} : fait. ${result ?? ''}`);
    await loadAll();
  } catch (error) {
    say(`${label} : ${error.message}`);
  }
}

function button(label, onClick) {
  const node = element('button', label, { type: 'button' });
  node.addEventListener('click', onClick);
  return node;
}

function sourceRow(source) {
  const row = element('tr');
  const name = element('td');
  name.append(element('strong', source.id), element('div', source.name, { class: 'small' }));
  const status = element('td', source.status + (source.crawling ? ' (crawl en cours)' : ''), {
    class: `status-${source.status}`,
  });
  if (source.suspended) {
    status.append(
      element('div', `suspendue : ${source.suspended.causes.map((c) => c.cause).join(', ')}`, {
        class: 'small',
      }),
    );
  }
  const last = source.lastCrawl;
  const crawl = element(
    'td',
    last ? `${last.startedAt.slice(0, 16).replace('T', ' ')} — ${last.result}` : 'jamais',
  );
  if (last?.incomplete) crawl.append(element('div', last.incomplete, { class: 'small' }));
  const errors = last ? Object.entries(last.errors) : [];
  if (errors.length > 0) {
    crawl.append(element('div', errors.map(([kind, n]) => `${kind} ${n}`).join(', '), { class: 'small' }));
  }
  if (source.nextCrawl) {
    crawl.append(
      element('div', `prochain : ${source.nextCrawl.slice(0, 16).replace('T', ' ')}`, { class: 'small' }),
    );
  }
  const documents = element('td', `${source.documents.indexed} indexés`);
  if (source.heldDeletions > 0)
    documents.append(element('div', `${source.heldDeletions} suppressions retenues`));
  const review = element('td', source.review.lastReviewedOn ?? 'jamais');
  if (source.review.overdue) review.append(element('div', 'à revoir', { class: 'status-attention' }));
  const actions = element('td');
  const id = encodeURIComponent(source.id);
  actions.append(
    button('Recrawler', () =>
      act(`Recrawl de ${source.id}`, () => api('POST', `/v1/admin/sources/${id}/recrawl`)),
    ),
    button('Prévisualiser', () =>
      act(`Prévisualisation de ${source.id}`, async () => {
        $('preview').textContent = JSON.stringify(
          await api('POST', `/v1/admin/sources/${id}/preview`),
          null,
          2,
        );
      }),
    ),
    button('Revue faite', () =>
      act(`Revue de ${source.id}`, () => api('POST', `/v1/admin/sources/${id}/review`)),
    ),
    source.enabled
      ? button('Désactiver', () => {
          if (window.confirm(`Désactiver ${source.id} et retirer ses documents de l’index ?`)) {
            void act(`Désactivation de ${source.id}`, () => api('POST', `/v1/admin/sources/${id}/disable`));
          }
        })
      : button('Activer', () =>
          act(`Activation de ${source.id}`, () => api('POST', `/v1/admin/sources/${id}/enable`)),
        ),
    button('Purger', () => {
      if (window.confirm(`Retirer tout de suite les documents de ${source.id} de l’index ?`)) {
        void act(`Purge de ${source.id}`, () => api('POST', `/v1/admin/sources/${id}/purge`));
      }
    }),
  );
  if (source.suspended && source.enabled) {
    actions.append(
      button('Lever la suspension', () =>
        act(`Reprise de ${source.id}`, () => api('POST', `/v1/admin/sources/${id}/enable`)),
      ),
    );
  }
  if (source.heldDeletions > 0) {
    actions.append(
      button('Confirmer les suppressions', () =>
        act(`Suppressions de ${source.id}`, () =>
          api('POST', `/v1/admin/sources/${id}/held-deletions/confirm`),
        ),
      ),
      button('Garder les documents', () =>
        act(`Suppressions de ${source.id}`, () => api('POST', `/v1/admin/sources/${id}/held-deletions/drop`)),
      ),
    );
  }
  row.append(name, status, crawl, documents, review, actions);
  return row;
}

async function loadSources() {
  const { sources } = await api('GET', '/v1/admin/sources');
  $('sources').tBodies[0].replaceChildren(...sources.map(sourceRow));
}

async function loadBets() {
  const { bestBets } = await api('GET', '/v1/admin/best-bets');
  $('bets').replaceChildren(
    ...bestBets.map((bet) => {
      const item = element(
        'li',
        `${bet.queries.join(', ')} → ${bet.url} (${bet.active ? 'en cours' : 'inactive'}${bet.endsAt ? `, jusqu’au ${bet.endsAt.slice(0, 10)}` : ''}) `,
      );
      item.append(
        button('Retirer', () => act('Retrait', () => api('DELETE', `/v1/admin/best-bets/${bet.id}`))),
      );
      return item;
    }),
  );
}

async function loadInsights() {
  const { days } = await api('GET', '/v1/admin/insights?top=10');
  $('insights').replaceChildren(
    ...days.slice(0, 7).map((day) => {
      const block = element('div');
      block.append(
        element('h3', `${day.day} : ${day.searches} recherches, ${day.zeroResults} sans résultat`),
      );
      const list = element('ul');
      for (const query of day.zeroResultQueries) {
        list.append(element('li', `« ${query.query} » : ${query.zeroResults} fois sans résultat`));
      }
      block.append(list);
      return block;
    }),
  );
}

async function loadAudit() {
  const { entries } = await api('GET', '/v1/admin/audit?limit=30');
  $('audit').replaceChildren(
    ...entries.map((entry) =>
      element('li', `${entry.at} — ${entry.actor} — ${entry.action} ${entry.target ?? ''}`),
    ),
  );
}

async function loadAll() {
  await Promise.all([loadSources(), loadBets(), loadInsights(), loadAudit()]);
}

function logout() {
  sessionStorage.removeItem(TOKEN_KEY);
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
}

async function start() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  try {
    await loadAll();
  } catch (error) {
    say(error.message);
  }
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  $('token').value = '';
  void start();
});
$('logout').addEventListener('click', logout);
$('add-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act('Ajout', async () => {
    const { source } = await api('POST', '/v1/admin/sources', JSON.parse($('entry').value));
    return `${source.id} ajoutée à sources.yaml.`;
  });
});
$('preview-entry').addEventListener('click', () =>
  act('Prévisualisation', async () => {
    const preview = await api('POST', '/v1/admin/scope-preview', JSON.parse($('entry').value));
    $('preview').textContent = JSON.stringify(preview, null, 2);
  }),
);
$('url-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act('Inspection', async () => {
    const answer = await api('GET', `/v1/admin/urls?${new URLSearchParams({ url: $('url').value })}`);
    const rows = [
      ['Source', answer.source ? answer.source.id : 'aucune'],
      ['Périmètre', answer.scope.rule],
      ['robots.txt', `${answer.robots.verdict}${answer.robots.rule ? ` (${answer.robots.rule})` : ''}`],
      ['Dernière visite', answer.lastFetch ? `${answer.lastFetch.at} ${answer.lastFetch.outcome}` : 'jamais'],
      ['Canonique', answer.canonical ?? '—'],
      ['Index', `${answer.index.indexed ? 'indexée' : 'absente'} : ${answer.index.reason}`],
    ];
    $('inspection').replaceChildren(
      ...rows.flatMap(([term, value]) => [element('dt', term), element('dd', value)]),
    );
  });
});
$('bet-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act('Mise en avant', () =>
    api('POST', '/v1/admin/best-bets', {
      url: $('bet-url').value,
      queries: $('bet-queries').value.split(','),
      ...($('bet-start').value ? { startsAt: $('bet-start').value } : {}),
      ...($('bet-end').value ? { endsAt: $('bet-end').value } : {}),
    }),
  );
});

if (sessionStorage.getItem(TOKEN_KEY)) void start();
