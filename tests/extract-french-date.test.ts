import { describe, expect, it } from 'vitest';
import { monthNumber, parseFrenchDate } from '../crawler/extract/french-date.ts';
import { normalizeIsoDate } from '../crawler/extract/iso-date.ts';
import { labelledTimeDates } from '../crawler/extract/page-dates.ts';
import { labelledTextDates } from '../crawler/extract/text-dates.ts';

describe('parseFrenchDate', () => {
  it.each([
    ['12 mars 2024', '2024-03-12'],
    ['1er avril 2023', '2023-04-01'],
    ['1ER AVRIL 2023', '2023-04-01'],
    ['mardi 1er avril 2025', '2025-04-01'],
    ['Lundi, 5 février 2024', '2024-02-05'],
    ['5 fevrier 2024', '2024-02-05'],
    ['15 août 2023', '2023-08-15'],
    ['15 aout 2023', '2023-08-15'],
    ['25 décembre 2022', '2022-12-25'],
    ['5 janv. 2021', '2021-01-05'],
    ['3 févr. 2022', '2022-02-03'],
    ['14 juil 2020', '2020-07-14'],
    ['30 sept. 2019', '2019-09-30'],
    ['03/02/2022', '2022-02-03'],
    ['3/2/2022', '2022-02-03'],
    ['03.02.2022', '2022-02-03'],
    ['03-02-2022', '2022-02-03'],
    ['2022-02-03', '2022-02-03'],
    ['le 12 mars 2024 à 10h30', '2024-03-12'],
    ['29 février 2024', '2024-02-29'],
  ])('reads "%s" as %s', (text, expected) => {
    expect(parseFrenchDate(text)).toBe(expected);
  });

  it.each([
    ['31 avril 2024', 'April has 30 days'],
    ['29 février 2023', '2023 is not a leap year'],
    ['32/01/2024', 'no month has 32 days'],
    ['12/13/2024', 'there is no 13th month (and dates are day first)'],
    ['00/00/0000', 'a placeholder'],
    ['12 mars 1789', 'older than the web'],
    ['12 jui 2024', 'juin or juillet?'],
    ['12 brumaire 2024', 'not a month of this calendar'],
    ['12 mars', 'no year'],
    ['Conseil municipal', 'no date at all'],
  ])('rejects "%s" (%s)', (text) => {
    expect(parseFrenchDate(text)).toBeNull();
  });

  it('recognises months by any unambiguous accent-free prefix', () => {
    expect(
      ['janv', 'fév', 'Mars', 'avr.', 'mai', 'juin', 'juil.', 'aoû', 'sep', 'oct', 'nov', 'déc'].map(
        monthNumber,
      ),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe('normalizeIsoDate', () => {
  it('keeps a date as a date and a date-time with its offset', () => {
    expect(normalizeIsoDate('2024-03-12')).toBe('2024-03-12');
    expect(normalizeIsoDate(' 2024-03-12T09:30:00+01:00 ')).toBe('2024-03-12T09:30:00+01:00');
    expect(normalizeIsoDate('2024-03-12 09:30')).toBe('2024-03-12T09:30:00');
    expect(normalizeIsoDate('2024-03-12T09:30:00.250z')).toBe('2024-03-12T09:30:00.250Z');
    expect(normalizeIsoDate('2024-03-12T09:30:00+0100')).toBe('2024-03-12T09:30:00+01:00');
  });

  it('rejects impossible dates and times', () => {
    expect(normalizeIsoDate('2023-02-29')).toBeNull();
    expect(normalizeIsoDate('2024-03-12T25:00:00Z')).toBeNull();
    expect(normalizeIsoDate('0000-00-00 00:00:00')).toBeNull();
    expect(normalizeIsoDate('12/03/2024')).toBeNull();
  });
});

describe('labelledTextDates', () => {
  it('finds the publication and update dates announced in French', () => {
    expect(labelledTextDates('Publié le 12 mars 2024 par la mairie. … Mis à jour le 1er avril 2024')).toEqual(
      {
        publishedAt: '2024-03-12',
        updatedAt: '2024-04-01',
      },
    );
    expect(labelledTextDates('Date de publication : 5 janv. 2021 – Modifié le 03/02/2022')).toEqual({
      publishedAt: '2021-01-05',
      updatedAt: '2022-02-03',
    });
    expect(labelledTextDates('Vérifié le 01 janvier 2024 - Direction de l’information légale')).toEqual({
      publishedAt: null,
      updatedAt: '2024-01-01',
    });
    expect(labelledTextDates('Dernière mise à jour : 28/06/2023')).toMatchObject({ updatedAt: '2023-06-28' });
    expect(labelledTextDates('Publiée le : mercredi 6 septembre 2023')).toMatchObject({
      publishedAt: '2023-09-06',
    });
  });

  it('ignores dates without a label, and labels inside other words', () => {
    expect(labelledTextDates('Conseil municipal du 14 février 2024. Ticket composté le 12/03/2024.')).toEqual(
      {
        publishedAt: null,
        updatedAt: null,
      },
    );
  });

  it('skips an impossible labelled date and keeps looking', () => {
    expect(labelledTextDates('Publié le 31/04/2024. Publié le 30/04/2024.')).toMatchObject({
      publishedAt: '2024-04-30',
    });
  });
});

describe('labelledTimeDates', () => {
  it('classifies <time> elements by the words just before them', () => {
    const times = [
      { value: '2020-01-01', label: 'Mis à jour le' },
      { value: '2019-05-02T10:00:00+02:00', label: 'Rubrique Social · Publié le' },
    ];
    expect(labelledTimeDates(times, false)).toEqual({
      publishedAt: '2019-05-02T10:00:00+02:00',
      updatedAt: '2020-01-01',
    });
  });

  it('trusts a lone unlabelled <time> on news pages only', () => {
    const times = [{ value: '12 mars 2024', label: '' }];
    expect(labelledTimeDates(times, true).publishedAt).toBe('2024-03-12');
    expect(labelledTimeDates(times, false).publishedAt).toBeNull();
  });
});
