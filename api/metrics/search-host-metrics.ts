import { Counter, Gauge, type Registry } from 'prom-client';
import type { SearchHosts } from '../app-dependencies.ts';

/**
 * With several search hosts (MEILI_SEARCH_URLS): what each was asked, what it failed, and whether the
 * API skips it for now, labelled by its URL as configured (/metrics is the operator's: it may name
 * them). Copied at each scrape from the counts the replicas keep (meili/meili-replicas.ts).
 */
export function registerSearchHostMetrics(registry: Registry, hosts: SearchHosts): void {
  const registers = [registry];
  const perHost = (value: (host: ReturnType<SearchHosts['status']>[number]) => number) =>
    function (this: Counter<'host'> | Gauge<'host'>) {
      this.reset();
      for (const host of hosts.status()) this.inc({ host: host.url }, value(host));
    };
  new Counter({
    name: 'pas_search_host_requests_total',
    help: 'Requests sent to each Meilisearch search host, a retry counting on the host it went to.',
    labelNames: ['host'],
    registers,
    collect: perHost((host) => host.requests),
  });
  new Counter({
    name: 'pas_search_host_failures_total',
    help: 'Requests a search host failed (unreachable, too slow, or without the index or the key): each was retried on another host.',
    labelNames: ['host'],
    registers,
    collect: perHost((host) => host.failures),
  });
  new Gauge({
    name: 'pas_search_host_set_aside',
    help: '1 while the API skips a search host after a failure (it is tried again after a few seconds), else 0.',
    labelNames: ['host'],
    registers,
    collect: perHost((host) => (host.setAside ? 1 : 0)),
  });
}
