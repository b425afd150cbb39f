/**
 * What the shipped templates print around optional data and at the signature lines: an absent
 * field leaves no blank line, and a position that starts a line starts with a capital.
 */
import { describe, expect, it } from 'vitest';
import { DocumentRenderer } from '../../documents/document-renderer.ts';
import { DOCUMENT_TEMPLATE_IDS } from '../../plan/document-numbering.ts';
import { TEMPLATES } from '../../templates/documents/catalog.ts';
import { docxText } from '../support/docx-text.ts';

const ISSUE = { number: 'ДС-2026/001', date: '2026-03-02' };

type School = { name: string; address?: string; municipality?: string; director: { name: string; position: string } };
const contractSample = TEMPLATES.contract.sample as { partner: School; participant: School };

/** The lines of a party's column in the contract's details block, from its role to «М. П.». */
function partyLines(text: string, role: string): string[] {
  const lines = text.split('\n');
  const start = lines.lastIndexOf(role);
  return lines.slice(start, lines.indexOf('М. П.', start) + 1);
}

describe('the contract’s details and signatures', () => {
  it('leave no blank line for a school without an address or a municipality', async () => {
    const { address: _address, municipality: _municipality, ...bare } = contractSample.partner;
    const { address: _none, ...withoutAddress } = contractSample.participant;
    const input = { ...contractSample, partner: bare, participant: { ...withoutAddress, municipality: 'Шиловский муниципальный район' } };
    const text = docxText((await new DocumentRenderer().render('contract', input, ISSUE)).content);
    expect(partyLines(text, 'Школа-партнёр')).toEqual([
      'Школа-партнёр',
      bare.name,
      'Директор',
      'Орлов Максим Андреевич',
      '_______________ М.\u00a0А.\u00a0Орлов',
      'М. П.',
    ]);
    expect(partyLines(text, 'Школа-участник')).toEqual([
      'Школа-участник',
      withoutAddress.name,
      'Шиловский муниципальный район',
      'Директор',
      'Жукова Светлана Михайловна',
      '_______________ С.\u00a0М.\u00a0Жукова',
      'М. П.',
    ]);
  });

  it('print the address and the municipality when the school has them', async () => {
    const text = docxText((await new DocumentRenderer().render('contract', contractSample, ISSUE)).content);
    expect(partyLines(text, 'Школа-партнёр').slice(2, 4)).toEqual([`Адрес: ${contractSample.partner.address}`, contractSample.partner.municipality]);
  });
});

/** The data with every `position` in lower case, as plans write them («министр …»). */
function withLowerCasePositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withLowerCasePositions);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, key === 'position' && typeof field === 'string' ? field.toLocaleLowerCase('ru') : withLowerCasePositions(field)]));
}

/** The line above each line to sign on: the signer's position, or in the contract the signer's full name. */
function linesAboveSignatures(text: string): string[] {
  const lines = text.split('\n');
  return lines.flatMap((line, index) => (line.startsWith('_______________') ? [lines[index - 1]!] : []));
}

describe('signature lines', () => {
  it.each(DOCUMENT_TEMPLATE_IDS)('%s starts the signer’s position with a capital', async (id) => {
    const document = await new DocumentRenderer().render(id, withLowerCasePositions(TEMPLATES[id].sample), ISSUE);
    const above = linesAboveSignatures(docxText(document.content));
    expect(above.length).toBeGreaterThan(0);
    for (const line of above) expect(line).toMatch(/^[А-ЯЁ]/);
  });
});
