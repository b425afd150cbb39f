/**
 * The partnership contract (договор о сотрудничестве / сетевом партнёрстве) between a partner
 * school and a participant school.
 */
import { z } from 'zod';
import { defineTemplate } from './definition.ts';
import { IsoDate, safeFileName, School, Text } from './common.ts';

const ContractInput = z.object({
  /** Where it is signed: «г. Рязань». */
  place: Text,
  /** The program it serves, in the genitive after «в рамках реализации»: «регионального проекта …». */
  program: Text,
  /** The last day of the contract. */
  validUntil: IsoDate,
  /** The school with high results that gives support. */
  partner: School,
  /** The school with low results (ШНОР) or in unfavourable conditions (ШНСУ) that receives it. */
  participant: School,
});

const ContractData = ContractInput.extend({ number: Text, date: IsoDate });

export const contractTemplate = defineTemplate({
  id: 'contract',
  title: 'Договор о сотрудничестве (сетевом партнёрстве)',
  file: 'contract.docx',
  input: ContractInput,
  data: ContractData,
  prepare: (input, issue) => ({ ...input, ...issue }),
  fileName: (data) => safeFileName(`Договор ${data.number} ${data.participant.shortName ?? data.participant.name}`),
  sample: {
    place: 'г. Рязань',
    program: 'мероприятия «Повышение качества образования в школах с низкими результатами обучения и в школах, функционирующих в неблагоприятных социальных условиях»',
    validUntil: '2026-12-31',
    partner: {
      name: 'Муниципальное бюджетное общеобразовательное учреждение «Шиловская средняя школа № 1»',
      shortName: 'МБОУ «Шиловская СШ № 1»',
      municipality: 'Шиловский муниципальный район',
      address: '391500, Рязанская область, р. п. Шилово, ул. Спасская, д. 10',
      director: { name: 'Орлов Максим Андреевич', position: 'директор' },
    },
    participant: {
      name: 'Муниципальное общеобразовательное учреждение «Ерахтурская средняя школа»',
      shortName: 'МОУ «Ерахтурская СШ»',
      municipality: 'Шиловский муниципальный район',
      director: { name: 'Жукова Светлана Михайловна', position: 'директор' },
    },
  },
});
