/**
 * A draft's YAML as it is downloaded. A plan imported from a table opens with a comment that
 * it is a draft and what is not filled in; by the time the office has filled it in that is no
 * longer true. The comment is written anew from the draft as it is: the list of what is still
 * missing, or, with nothing missing, no such lines at all.
 */
import { draftData, textOf } from './draft-changes.ts';

/** The importer's lines about what is missing: the «Это черновик» line and the list under it. */
const DRAFT_LINE = /^# Это черновик:/;
const LIST_LINE = /^# {2,}- /;
/** The importer's advice to add what a table lacks. */
const ADVICE_LINE = /^# Стоит добавить: /;

/** `text` with its leading comment telling what is still missing, as of now. */
export function exportedText(text: string): string {
  const lines = text.split('\n');
  const headerEnd = lines.findIndex((line) => !line.startsWith('#'));
  const header = lines.slice(0, headerEnd === -1 ? lines.length : headerEnd);
  const at = header.findIndex((line) => DRAFT_LINE.test(line) || ADVICE_LINE.test(line));
  if (at === -1) return text;
  const { fields, items, people } = draftData(text);
  const emails = people.filter((person) => textOf(person.email) === '').map((person) => textOf(person.id));
  const executors = items.filter((item) => (item.executor === undefined || item.executor === null || textOf(item.executor) === '') && item.per === undefined).map((item) => textOf(item.id));
  const missing = [
    ...(emails.length > 0 || executors.length > 0
      ? [
          '# Это черновик: сроки можно смотреть (plangraf schedule), но запустить план нельзя, пока не заполнено:',
          ...(emails.length > 0 ? [`#   - email у людей (people): ${emails.join(', ')}`] : []),
          ...(executors.length > 0 ? [`#   - executor у пунктов (items): ${executors.join(', ')} — id человека из people`] : []),
        ]
      : []),
  ];
  const advice = [
    ...(fields.office === undefined ? ['office — кто получает сводки и эскалации'] : []),
    ...(fields.region === undefined ? ['region'] : []),
    ...(fields.schools === undefined || (Array.isArray(fields.schools) && fields.schools.length === 0) ? ['schools — школы-участницы и партнёры'] : []),
  ];
  const kept = header.filter((line) => !DRAFT_LINE.test(line) && !LIST_LINE.test(line) && !ADVICE_LINE.test(line));
  const rewritten = [...kept.slice(0, at), ...missing, ...(advice.length > 0 ? [`# Стоит добавить: ${advice.join('; ')}.`] : []), ...kept.slice(at)];
  return [...rewritten, ...lines.slice(header.length)].join('\n');
}
