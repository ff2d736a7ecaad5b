import { describe, expect, it } from 'vitest';
import { findSourceForUrl, isInScope } from '../crawler/scope.ts';
import { aSource } from './builders/source-builder.ts';

const frontignan = aSource();
const inScope = (url: string, source = frontignan) => isInScope(new URL(url), source);

describe('the scope of a source', () => {
  it('includes every page of its origin, the home page too', () => {
    expect(inScope('https://www.frontignan.fr/')).toBe(true);
    expect(inScope('https://www.frontignan.fr/actualites/plan-velo.html?page=2')).toBe(true);
  });

  it('compares hosts after normalization: case, trailing dot, default port, punycode', () => {
    expect(inScope('HTTPS://WWW.Frontignan.FR/x')).toBe(true);
    expect(inScope('https://www.frontignan.fr./x')).toBe(true);
    expect(inScope('https://www.frontignan.fr:443/x')).toBe(true);
    const idn = aSource({ id: 'idn', url: 'https://mairie-évian.fr/' });
    expect(inScope('https://xn--mairie-vian-hbb.fr/page', idn)).toBe(true);
    expect(inScope('https://MAIRIE-ÉVIAN.fr/page', idn)).toBe(true);
  });

  it('excludes other hosts, look-alikes and subdomains', () => {
    expect(inScope('https://frontignan.fr/x')).toBe(false);
    expect(inScope('https://www.frontignan.fr.evil.example/x')).toBe(false);
    expect(inScope('https://wwwfrontignan.fr/x')).toBe(false);
    expect(inScope('https://mail.www.frontignan.fr/x')).toBe(false);
  });

  it('excludes user@host tricks, other ports and other schemes', () => {
    expect(inScope('https://www.frontignan.fr@evil.example/x')).toBe(false);
    expect(inScope('https://user:pass@www.frontignan.fr/x')).toBe(false);
    expect(inScope('https://www.frontignan.fr:8443/x')).toBe(false);
    expect(inScope('http://www.frontignan.fr/x')).toBe(false);
    expect(inScope('ftp://www.frontignan.fr/x')).toBe(false);
    expect(inScope('javascript:alert(1)')).toBe(false);
  });

  it('honours include and exclude path globs', () => {
    const news = aSource({
      crawl: { include: ['/actualites/**', '/'], exclude: ['/actualites/archives/**'] },
    });
    expect(inScope('https://www.frontignan.fr/', news)).toBe(true);
    expect(inScope('https://www.frontignan.fr/actualites/plan-velo', news)).toBe(true);
    expect(inScope('https://www.frontignan.fr/actualites/archives/2001', news)).toBe(false);
    expect(inScope('https://www.frontignan.fr/agenda/fete', news)).toBe(false);
  });

  describe('matches globs on the path as the server reads it, not as it is spelled', () => {
    const news = aSource({
      crawl: {
        include: ['/actualites/**'],
        exclude: ['/actualites/archives/**', '/actualites/brouillon.html'],
      },
    });
    const excluded = (path: string) => !inScope(`https://www.frontignan.fr${path}`, news);

    it('excludes a path whose letters are percent-encoded', () => {
      expect(excluded('/actualites/%61rchives/x')).toBe(true);
      expect(excluded('/actualites/%61%72%63%68%69%76%65%73/x')).toBe(true);
      expect(excluded('/%61ctualites/archives/x')).toBe(true);
      expect(excluded('/actualites/brouillon%2Ehtml')).toBe(true);
    });

    it('excludes a path written in another case', () => {
      expect(excluded('/actualites/ARCHIVES/x')).toBe(true);
      expect(excluded('/Actualites/Archives/x')).toBe(true);
      expect(excluded('/actualites/%41rchives/x')).toBe(true);
      expect(excluded('/actualites/Brouillon.HTML')).toBe(true);
    });

    it('excludes a path with repeated slashes', () => {
      expect(excluded('/actualites//archives/x')).toBe(true);
      expect(excluded('/actualites///archives//x')).toBe(true);
      expect(excluded('/actualites/%2Farchives/x')).toBe(true);
    });

    it('excludes a path whose slashes are percent-encoded', () => {
      expect(excluded('/actualites%2Farchives%2Fx')).toBe(true);
      expect(excluded('/actualites%2farchives/x')).toBe(true);
      expect(excluded('/actualites/x%2F..%2Farchives/y')).toBe(true);
    });

    it('still includes the pages the globs are about, however they are spelled', () => {
      expect(excluded('/actualites/plan-velo')).toBe(false);
      expect(excluded('/ACTUALITES/plan-velo')).toBe(false);
      expect(excluded('/%61ctualites/plan-velo')).toBe(false);
      expect(excluded('/actualites//plan-velo')).toBe(false);
      expect(excluded('/actualites/archives-2024')).toBe(false);
    });

    it('leaves an invalid escape as it is', () => {
      expect(excluded('/actualites/%zzarchives/x')).toBe(false);
      expect(excluded('/actualites/%E9t%E9')).toBe(false);
      expect(excluded('/actualites/%61rchives/%zz')).toBe(true);
    });

    it('matches a glob written with accents against the encoded path', () => {
      const accents = aSource({ crawl: { include: ['/actualités/**'], exclude: ['/actualités/été/**'] } });
      expect(inScope('https://www.frontignan.fr/actualités/plan-velo', accents)).toBe(true);
      expect(inScope('https://www.frontignan.fr/actualit%C3%A9s/plan-velo', accents)).toBe(true);
      expect(inScope('https://www.frontignan.fr/actualités/ÉTÉ/fete', accents)).toBe(false);
      expect(inScope('https://www.frontignan.fr/actualités/%C3%A9t%C3%A9/fete', accents)).toBe(false);
    });

    it('does not let an encoded slash carry a path into the include globs', () => {
      expect(excluded('/actualites%2Fplan-velo')).toBe(true);
    });
  });

  it('is empty for a disabled source', () => {
    expect(inScope('https://www.frontignan.fr/', aSource({ enabled: false }))).toBe(false);
  });
});

describe('finding the source of a URL', () => {
  it('returns the source whose scope holds the URL, or none', () => {
    const tarbes = aSource({ id: 'tarbes', url: 'https://www.tarbes.fr/', territory: 'commune:65440' });
    const sources = [frontignan, tarbes];
    expect(findSourceForUrl(new URL('https://www.tarbes.fr/mairie'), sources)?.id).toBe('tarbes');
    expect(findSourceForUrl(new URL('https://www.frontignan.fr/mairie'), sources)?.id).toBe('frontignan');
    expect(findSourceForUrl(new URL('https://www.sete.fr/'), sources)).toBeUndefined();
  });
});
