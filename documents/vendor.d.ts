/**
 * Types for `petrovich` 0.2.1, which ships none: a CommonJS function object with the chain
 * `petrovich[gender][nameType][grammaticalCase](name)`. Only what documents/ uses is typed.
 * (`number-to-words-ru` ships its own declaration.)
 */
declare module 'petrovich' {
  type PetrovichGender = 'male' | 'female' | 'androgynous';
  type PetrovichNameType = 'first' | 'middle' | 'last';
  type PetrovichCase = 'nominative' | 'genitive' | 'dative' | 'accusative' | 'instrumental' | 'prepositional';
  type Inflector = { readonly [C in PetrovichCase]: (name: string) => string };

  interface Petrovich {
    /** `male` for a patronymic ending in «-ич», `female` for «-на», else `androgynous`. */
    detect_gender(middleName: string): PetrovichGender;
    readonly male: { readonly [T in PetrovichNameType]: Inflector };
    readonly female: { readonly [T in PetrovichNameType]: Inflector };
    readonly androgynous: { readonly [T in PetrovichNameType]: Inflector };
  }

  const petrovich: Petrovich;
  export = petrovich;
}
