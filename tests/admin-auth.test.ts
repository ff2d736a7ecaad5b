import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdminTokens, sha256Hex } from '../core/admin-tokens.ts';
import { ConfigError } from '../core/errors.ts';
import { anAdminWorld, type AdminWorld, READ_TOKEN, siteEntry } from './support/admin-world.ts';

/**
 * Every admin route, as the API's own OpenAPI description lists them, without a token, with a
 * wrong one, and with a read-only one.
 */
let world: AdminWorld;
let adminRoutes: { method: string; path: string }[];

beforeAll(async () => {
  world = await anAdminWorld(`# the whitelist\nsources:\n${siteEntry('tarbes', 'http://127.0.0.1:9')}`);
  const document = world.app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
  adminRoutes = Object.entries(document.paths ?? {})
    .filter(([path]) => path.startsWith('/v1/admin'))
    .flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => ({
        method: method.toUpperCase(),
        // A real source and best bet id, so that a route that answered would have something to act on.
        path: path.replace('{id}', path.includes('best-bets') ? '1' : 'tarbes'),
      })),
    );
});
afterAll(() => world.close());

describe('the admin API', () => {
  it('lists a dozen routes, every one described as needing a token', () => {
    expect(adminRoutes.length).toBeGreaterThanOrEqual(15);
  });

  it('answers 401, with a Bearer challenge, on every route without a token', async () => {
    for (const route of adminRoutes) {
      const response = await world.call(route.method, route.path, {
        body: route.method === 'GET' ? undefined : {},
      });
      expect({ ...route, status: response.status }).toEqual({ ...route, status: 401 });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('answers 401 on every route with a token that is not configured, or not a bearer one', async () => {
    for (const route of adminRoutes) {
      const wrong = await world.call(route.method, route.path, { token: `${READ_TOKEN}x` });
      const basic = await world.call(route.method, route.path, {
        headers: { Authorization: `Basic ${Buffer.from(`bob:${READ_TOKEN}`).toString('base64')}` },
      });
      expect([route, wrong.status, basic.status]).toEqual([route, 401, 401]);
    }
  });

  it('lets a read-only token read, and refuses it with 403 everything that would change something', async () => {
    const before = await readFile(world.sourcesFile, 'utf8');
    for (const route of adminRoutes) {
      const response = await world.call(route.method, route.path, {
        token: READ_TOKEN,
        ...(route.method === 'GET' ? {} : { body: { id: 'x', url: 'http://127.0.0.1:9/', queries: ['x'] } }),
      });
      if (route.method === 'GET') expect([route, response.status]).not.toEqual([route, 401]);
      else expect([route, response.status]).toEqual([route, 403]);
    }
    expect(await readFile(world.sourcesFile, 'utf8')).toBe(before);
    expect(world.store.audit.list({ limit: 10 })).toEqual([]);
    expect((await world.asBob('GET', '/v1/admin/sources')).status).toBe(200);
  });
});

describe('admin tokens in the configuration', () => {
  it('are read as name:rights:sha256 from ADMIN_TOKENS, and only their hash is kept', async () => {
    const tokens = await loadAdminTokens(
      `alice:write:${sha256Hex('secret-a')}, bob:read:${sha256Hex('secret-b')}`,
      undefined,
    );
    expect(tokens.verify('secret-a')).toMatchObject({ name: 'alice', rights: 'write' });
    expect(tokens.verify('secret-b')).toMatchObject({ name: 'bob', rights: 'read' });
    expect(tokens.verify('secret-c')).toBeUndefined();
    expect(JSON.stringify(tokens)).not.toContain('secret-a');
  });

  it('refuse a token given in clear instead of its hash, naming the variable', async () => {
    await expect(loadAdminTokens('alice:write:my-secret-token', undefined)).rejects.toThrow(ConfigError);
    await expect(loadAdminTokens('alice:write:my-secret-token', undefined)).rejects.toThrow(
      /ADMIN_TOKENS: token 1/,
    );
  });
});

describe('the admin page', () => {
  it('is served with a CSP that allows no other origin and no inline script, and loads only its own files', async () => {
    const page = await world.call('GET', '/admin');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual(['/admin/admin.css', '/admin/admin.js']);
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);
    const script = await world.call('GET', '/admin/admin.js');
    expect(script.status).toBe(200);
    expect(script.text).not.toContain('innerHTML');
  });
});
