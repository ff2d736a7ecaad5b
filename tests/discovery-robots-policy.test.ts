import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RobotsOriginMismatchError } from '../crawler/discovery/discovery-errors.ts';
import { parseRobotsTxt, robotsOutcome, robotsProductToken } from '../crawler/discovery/robots-policy.ts';

const OUR_AGENT = 'public-action-search/0.1 (+https://recherche.example.gouv.fr/robot)';
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/discovery/${name}`, import.meta.url), 'utf8');

const TARBES_ROBOTS = new URL('https://www.tarbes.fr/robots.txt');
const tarbes = (userAgent = OUR_AGENT) =>
  parseRobotsTxt(TARBES_ROBOTS, fixture('robots-tarbes.txt'), userAgent);
const allowed = (policy: ReturnType<typeof tarbes>, path: string) =>
  policy.isAllowed(new URL(path, 'https://www.tarbes.fr'));

describe('the product token we are matched by', () => {
  it('is the first word of our User-Agent, without version or comment, lower-cased', () => {
    expect(robotsProductToken(OUR_AGENT)).toBe('public-action-search');
    expect(robotsProductToken('Public-Action-Search (+https://x)')).toBe('public-action-search');
  });
});

describe('a robots.txt with a group for us', () => {
  it('applies our group and not the * group', () => {
    const policy = tarbes();
    expect(allowed(policy, '/admin/config')).toBe(false);
    expect(allowed(policy, '/core/install.php')).toBe(true); // only * disallows /core/
    expect(allowed(policy, '/search/node?keys=budget')).toBe(true);
    expect(allowed(policy, '/actualites/plan-velo')).toBe(true);
    expect(policy.crawlDelaySeconds).toBe(2);
  });

  it('lets the longest matching pattern win, Allow winning a tie', () => {
    const policy = tarbes();
    expect(allowed(policy, '/recherche?q=piscine')).toBe(false);
    expect(allowed(policy, '/recherche/aide')).toBe(true);
    expect(allowed(policy, '/fileadmin/annexe-budget.pdf')).toBe(false);
    expect(allowed(policy, '/deliberations/2024/conseil-12-mars.pdf')).toBe(true);
    expect(allowed(policy, '/agenda/fete-de-la-musique')).toBe(true);
  });

  it('anchors a pattern ending in $ at the end of path and query', () => {
    const policy = tarbes();
    expect(allowed(policy, '/fileadmin/annexe-budget.pdf?download=1')).toBe(true);
  });

  it('matches versioned and differently cased group names, but not partial ones', () => {
    const versioned = 'User-agent: *\nDisallow: /\n\nUser-agent: Public-Action-Search/2.0\nAllow: /\n';
    expect(
      parseRobotsTxt(TARBES_ROBOTS, versioned, OUR_AGENT).isAllowed(new URL('https://www.tarbes.fr/x')),
    ).toBe(true);
    const partial = 'User-agent: *\nDisallow: /\n\nUser-agent: public-action\nAllow: /\n';
    expect(
      parseRobotsTxt(TARBES_ROBOTS, partial, OUR_AGENT).isAllowed(new URL('https://www.tarbes.fr/x')),
    ).toBe(false);
  });
});

describe('a robots.txt without a group for us', () => {
  const other = () => tarbes('Mozilla/5.0 (compatible; autre-robot/1.0)');

  it('applies the * group, wildcards included', () => {
    const policy = other();
    expect(allowed(policy, '/core/modules/system.js')).toBe(true);
    expect(allowed(policy, '/core/modules/system.php')).toBe(false);
    expect(allowed(policy, '/actualites?page=2&sort=date')).toBe(false);
    expect(allowed(policy, '/actualites?page=2')).toBe(true);
    expect(allowed(policy, '/api/agenda.json')).toBe(false);
    expect(policy.crawlDelaySeconds).toBe(10);
  });

  it('compares non-ASCII paths percent-encoded', () => {
    const policy = other();
    expect(allowed(policy, '/élus/brouillons/budget')).toBe(false);
    expect(allowed(policy, '/%C3%A9lus/brouillons/budget')).toBe(false);
    expect(allowed(policy, '/élus/conseil')).toBe(true);
  });

  it('lets a group name several agents', () => {
    const policy = tarbes('CCBot/2.0 (https://commoncrawl.org/faq/)');
    expect(allowed(policy, '/actualites')).toBe(false);
    expect(policy.crawlDelaySeconds).toBeNull();
  });

  it('reads a typical WordPress file', () => {
    const lourdes = new URL('https://www.ville-lourdes.fr/robots.txt');
    const policy = parseRobotsTxt(lourdes, fixture('robots-wordpress.txt'), OUR_AGENT);
    const at = (path: string) => policy.isAllowed(new URL(path, lourdes));
    expect(at('/wp-admin/options.php')).toBe(false);
    expect(at('/wp-admin/admin-ajax.php')).toBe(true);
    expect(at('/?s=cantine')).toBe(false);
    expect(at('/2024/03/cantine/?replytocom=12')).toBe(false);
    expect(at('/2024/03/cantine/')).toBe(true);
    expect(policy.crawlDelaySeconds).toBeNull();
    expect(policy.sitemaps.map(String)).toEqual(['https://www.ville-lourdes.fr/wp-sitemap.xml']);
  });
});

describe('the rest of a robots.txt', () => {
  it('lists sitemaps as absolute http(s) URLs, deduplicated, in file order', () => {
    expect(tarbes().sitemaps.map(String)).toEqual([
      'https://www.tarbes.fr/sitemap.xml',
      'https://www.tarbes.fr/sitemap-deliberations.xml.gz',
      'https://www.tarbes.fr/sitemap-actualites.xml',
    ]);
  });

  it('allows everything when the file is empty, and ignores a BOM', () => {
    expect(parseRobotsTxt(TARBES_ROBOTS, '', OUR_AGENT).isAllowed(new URL('https://www.tarbes.fr/a'))).toBe(
      true,
    );
    const withBom = '\uFEFFUser-agent: *\nDisallow: /prive/\n';
    expect(
      parseRobotsTxt(TARBES_ROBOTS, withBom, OUR_AGENT).isAllowed(new URL('https://www.tarbes.fr/prive/x')),
    ).toBe(false);
  });

  it('always allows /robots.txt itself', () => {
    const closed = parseRobotsTxt(TARBES_ROBOTS, 'User-agent: *\nDisallow: /\n', OUR_AGENT);
    expect(closed.isAllowed(TARBES_ROBOTS)).toBe(true);
    expect(closed.isAllowed(new URL('https://www.tarbes.fr/'))).toBe(false);
  });

  it('ignores a malformed crawl delay', () => {
    const policy = parseRobotsTxt(TARBES_ROBOTS, 'User-agent: *\nCrawl-delay: soon\n', OUR_AGENT);
    expect(policy.crawlDelaySeconds).toBeNull();
  });

  it('answers for its own origin only (host spelled with a trailing dot included)', () => {
    const policy = tarbes();
    expect(policy.isAllowed(new URL('https://www.tarbes.fr./actualites'))).toBe(true);
    expect(policy.isAllowed(new URL('https://WWW.TARBES.FR:443/admin/'))).toBe(false);
    for (const foreign of ['https://tarbes.fr/', 'http://www.tarbes.fr/', 'https://www.tarbes.fr:8443/']) {
      expect(() => policy.isAllowed(new URL(foreign))).toThrow(RobotsOriginMismatchError);
    }
  });
});

describe('what the robots.txt response status means', () => {
  it('parses 2xx, allows all on 3xx/4xx, retries later on 429, 5xx and network errors', () => {
    const outcomes = Object.fromEntries(
      [200, 203, 301, 400, 401, 403, 404, 410, 429, 500, 503, null].map((status) => [
        String(status),
        robotsOutcome(status),
      ]),
    );
    expect(outcomes).toEqual({
      '200': 'parse',
      '203': 'parse',
      '301': 'allow-all',
      '400': 'allow-all',
      '401': 'allow-all',
      '403': 'allow-all',
      '404': 'allow-all',
      '410': 'allow-all',
      '429': 'retry-later',
      '500': 'retry-later',
      '503': 'retry-later',
      null: 'retry-later',
    });
  });
});
