import { describe, expect, it } from 'vitest';
import { parseRobotsTxt } from '../crawler/discovery/robots-policy.ts';
import { mayFetchForDiscovery } from '../crawler/discovery-scope.ts';

const www = new URL('http://www.tarbes.fr');
const apex = new URL('https://tarbes.fr');
const may = (url: string, origin = www, robots?: Parameters<typeof mayFetchForDiscovery>[2]) =>
  mayFetchForDiscovery(new URL(url), origin, robots);

describe('what robots.txt and sitemap fetches of an origin may request', () => {
  it("fetches the origin's robots.txt whatever its include globs", () => {
    expect(may('http://www.tarbes.fr/robots.txt')).toBe(true);
  });

  it('follows robots.txt to the same site without or with www, and from http to https', () => {
    expect(may('http://tarbes.fr/robots.txt')).toBe(true);
    expect(may('https://tarbes.fr/robots.txt')).toBe(true);
    expect(may('https://www.tarbes.fr/robots.txt')).toBe(true);
    expect(may('https://www.tarbes.fr/robots.txt', apex)).toBe(true);
  });

  it('follows robots.txt to another file of the origin itself', () => {
    expect(may('http://www.tarbes.fr/robots-public.txt')).toBe(true);
  });

  it('refuses any other redirect of robots.txt', () => {
    expect(may('http://tarbes.fr/autre-robots.txt')).toBe('out-of-scope');
    expect(may('http://tarbes.fr/robots.txt?x=1')).toBe('out-of-scope');
    expect(may('http://cdn.tarbes.fr/robots.txt')).toBe('out-of-scope');
    expect(may('http://www.www.tarbes.fr/robots.txt')).toBe('out-of-scope');
    expect(may('http://tarbes.fr.evil.example/robots.txt')).toBe('out-of-scope');
    expect(may('http://evil.example/robots.txt')).toBe('out-of-scope');
    expect(may('http://www.tarbes.fr:8080/robots.txt')).toBe('out-of-scope');
    expect(may('http://tarbes.fr/robots.txt', apex)).toBe('out-of-scope'); // https to http
    expect(may('ftp://tarbes.fr/robots.txt')).toBe('out-of-scope');
    expect(may('http://user@tarbes.fr/robots.txt')).toBe('out-of-scope');
  });

  it('never makes a top-level domain the other host of a www site', () => {
    expect(may('http://fr/robots.txt', new URL('http://www.fr'))).toBe('out-of-scope');
  });

  it('fetches sitemaps anywhere on the origin, unless robots.txt disallows them', () => {
    const robots = parseRobotsTxt(
      new URL('http://www.tarbes.fr/robots.txt'),
      'User-agent: *\nDisallow: /prive/\n',
      'pas',
    );
    expect(may('http://www.tarbes.fr/sitemap.xml', www, robots)).toBe(true);
    expect(may('http://www.tarbes.fr/plans/sitemap-2.xml.gz', www, 'allow-all')).toBe(true);
    expect(may('http://www.tarbes.fr/prive/sitemap.xml', www, robots)).toBe('robots');
  });

  it('does not fetch a sitemap on another host, not even the same site with or without www', () => {
    expect(may('http://tarbes.fr/sitemap.xml')).toBe('out-of-scope');
    expect(may('https://www.tarbes.fr/sitemap.xml')).toBe('out-of-scope');
    expect(may('http://evil.example/sitemap.xml')).toBe('out-of-scope');
  });
});
