import { describe, expect, it } from 'vitest';
import { MAX_VARIANT_WORDS, MIN_VARIANT_WORDS, queryVariants } from '../api/query-variants.ts';

const wordsOf = (text: string) => text.split(' ');

describe('the variants of a long query', () => {
  it('leaves a short query to one search', () => {
    expect(queryVariants('cart gris')).toBeUndefined();
    expect(queryVariants('alloc familial enfant')).toBeUndefined();
    expect(queryVariants('')).toBeUndefined();
  });

  it('searches a long query whole, then once without each of its words', () => {
    const variants = queryVariants('fils harcel elev clas');
    expect(variants?.[0]).toEqual({ text: 'fils harcel elev clas', weight: 1 });
    const rest = variants?.slice(1) ?? [];
    expect(rest).toHaveLength(4);
    for (const word of wordsOf('fils harcel elev clas')) {
      expect(rest.filter((variant) => !wordsOf(variant.text).includes(word))).toHaveLength(1);
    }
    for (const variant of rest) expect(wordsOf(variant.text)).toHaveLength(3);
  });

  it('weighs a variant by the share of the words it keeps, so it never beats the whole query', () => {
    for (const prepared of ['a b c d', 'a b c d e f']) {
      const variants = queryVariants(prepared) ?? [];
      const n = wordsOf(prepared).length;
      for (const variant of variants.slice(1)) expect(variant.weight).toBeCloseTo((n - 1) / n);
    }
  });

  it('counts a repeated word once', () => {
    const texts = (queryVariants('recu amend sans recu avis') ?? []).map((variant) => variant.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts).toHaveLength(5);
    expect(texts.slice(1).filter((text) => !wordsOf(text).includes('recu'))).toHaveLength(1);
  });

  it('keeps a "phrase" and an -exclusion in one search, where they hold for every result', () => {
    expect(queryVariants('"carte grise" perd vol voitur')).toBeUndefined();
    expect(queryVariants('permis perd vol voitur -moto')).toBeUndefined();
  });

  it('keeps the number of searches bounded', () => {
    const words = (n: number) => Array.from({ length: n }, (_, at) => `mot${at}`).join(' ');
    expect(queryVariants(words(MIN_VARIANT_WORDS))).toHaveLength(MIN_VARIANT_WORDS + 1);
    expect(queryVariants(words(MAX_VARIANT_WORDS))).toHaveLength(MAX_VARIANT_WORDS + 1);
    expect(queryVariants(words(MAX_VARIANT_WORDS + 1))).toBeUndefined();
  });
});
