/**
 * The text of a table cell as its reader sees it: Word's and Excel's debris (soft hyphens,
 * line breaks inside a cell, non-breaking and zero-width spaces, Excel's `_x000D_`) cleaned;
 * and the ASCII slugs that ids are made of.
 */

/** Characters that print as nothing: soft hyphen, zero-width spaces and joiners, BOM. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
/** Spaces of every width, the non-breaking ones included. */
const SPACES = /[\s\u00a0\u2007\u202f]+/g;

/**
 * One line of text from a cell: invisible characters dropped, line breaks and every kind of
 * space made one space; a word broken at a line end by a hyphen («Январь-\nфевраль») is joined.
 * @example cleanCellText('Январь-\nфев\u00adраль\u00a0') // 'Январь-февраль'
 */
export function cleanCellText(text: string): string {
  return splitCellLines(text).reduce((joined, line) => (joined === '' ? line : /[а-яёa-z]-$/i.test(joined) ? joined + line : `${joined} ${line}`), '');
}

/** The lines of a cell (paragraphs, line breaks), each cleaned, the empty ones dropped. */
export function splitCellLines(text: string): string[] {
  return decodeExcelEscapes(text)
    .replace(INVISIBLE, '')
    .split(/\r\n|[\r\n\u2028\u2029\v]/)
    .map((line) => line.replace(SPACES, ' ').trim())
    .filter((line) => line !== '');
}

/** Excel keeps characters XML cannot hold as `_x000D_`; the reader of the sheet sees the character. */
function decodeExcelEscapes(text: string): string {
  return text.replace(/_x([0-9a-fA-F]{4})_/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

/** A header or a name for comparing: lower case, «ё» as «е», no punctuation at the ends, one space. */
export function normalizeLabel(text: string): string {
  return cleanCellText(text).toLowerCase().replace(/ё/g, 'е').replace(/^[\s.:;,*]+|[\s.:;,*]+$/g, '');
}

const LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p',
  р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/**
 * An id of the plan format ([a-z0-9-]) from any text: Cyrillic transliterated, everything
 * else a hyphen, at most `maxLength` characters cut at a hyphen.
 * @example slugify('Гурьянова') // 'guryanova'
 */
export function slugify(text: string, maxLength = 40): string {
  const latin = [...text.toLowerCase()].map((char) => LATIN[char] ?? char).join('');
  const slug = latin.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength + 1);
  const end = cut.lastIndexOf('-');
  return (end > 0 ? cut.slice(0, end) : slug.slice(0, maxLength)).replace(/-+$/, '');
}
