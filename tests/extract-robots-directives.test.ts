import { describe, expect, it } from 'vitest';
import { combineRobotsDirectives, parseRobotsDirectives } from '../crawler/extract/robots-directives.ts';

describe('parseRobotsDirectives', () => {
  it.each([
    ['noindex, nofollow', true, true],
    ['NOINDEX,NOFOLLOW', true, true],
    ['noindex', true, false],
    ['index, nofollow', false, true],
    ['none', true, true],
    ['None', true, true],
    ['all', false, false],
    ['index, follow', false, false],
    ['', false, false],
    ['all, noindex', true, false],
    ['max-snippet:-1, max-image-preview:large, noindex', true, false],
    ['unavailable_after: 2025-06-25, nofollow', false, true],
  ])('reads "%s" as noindex=%s, nofollow=%s', (value, noindex, nofollow) => {
    expect(parseRobotsDirectives(value)).toEqual({ noindex, nofollow });
  });

  it('ignores directives addressed to a named crawler', () => {
    expect(parseRobotsDirectives('googlebot: noindex')).toEqual({ noindex: false, nofollow: false });
    expect(parseRobotsDirectives('googlebot: noindex, nofollow')).toEqual({
      noindex: false,
      nofollow: false,
    });
    expect(parseRobotsDirectives('BingBot: none')).toEqual({ noindex: false, nofollow: false });
  });

  it('obeys directives prefixed with the generic "robots" agent', () => {
    expect(parseRobotsDirectives('robots: noindex')).toEqual({ noindex: true, nofollow: false });
    expect(parseRobotsDirectives('googlebot: nofollow, robots: noindex')).toEqual({
      noindex: true,
      nofollow: false,
    });
  });

  it('adds up several sources: each restriction counts', () => {
    expect(
      combineRobotsDirectives(parseRobotsDirectives('noindex'), parseRobotsDirectives('nofollow')),
    ).toEqual({ noindex: true, nofollow: true });
    expect(combineRobotsDirectives()).toEqual({ noindex: false, nofollow: false });
  });
});
