/**
 * The name filters of the document templates on names with hyphens and apostrophes: the
 * contract's «в лице директора …, действующей…» and its signature line.
 */
import { describe, expect, it } from 'vitest';
import { documentFilters } from '../../documents/filters.ts';

const NBSP = '\u00a0';
const filters = documentFilters(() => ({ genitive: new Map() }));

describe('name filters', () => {
  it('decline a name whose surname has an apostrophe, typed or typographic', () => {
    expect(filters.genitive!("О'Нил Дарья Сергеевна")).toBe("О'Нил Дарьи Сергеевны");
    expect(filters.genitive!('О’Нил Дарья Сергеевна')).toBe('О’Нил Дарьи Сергеевны');
    expect(filters.genitive!("Д'Арк Жанна Ивановна")).toBe("Д'Арк Жанны Ивановны");
    expect(filters.acting!("О'Нил Дарья Сергеевна")).toBe('действующей');
  });

  it('decline a double surname with both parts capitalised', () => {
    expect(filters.genitive!('Петров-Водкин Кузьма Сергеевич')).toBe('Петрова-Водкина Кузьмы Сергеевича');
    expect(filters.genitive!('Петрова-Водкина Анна Ивановна')).toBe('Петровой-Водкиной Анны Ивановны');
  });

  it('put the initials before a surname with an apostrophe', () => {
    expect(filters.initials!("О'Нил Дарья Сергеевна")).toBe(`Д.${NBSP}С.${NBSP}О'Нил`);
    expect(filters.initials!("Д'Арк Жанна Ивановна")).toBe(`Ж.${NBSP}И.${NBSP}Д'Арк`);
  });

  it('still take a lower-case position for a position', () => {
    expect(filters.genitive!('директор')).toBe('директора');
    expect(filters.genitive!('Исполняющий обязанности директора')).toBe('Исполняющего обязанности директора');
  });
});
