/**
 * The order (приказ) approving the list of participant schools with their personal curators,
 * and the municipal working groups: «Об утверждении перечня общеобразовательных организаций —
 * участников мероприятия, персональных кураторов и составов муниципальных рабочих групп».
 */
import { z } from 'zod';
import { defineTemplate } from './definition.ts';
import { IsoDate, numbered, safeFileName, Signer, Text } from './common.ts';

const ParticipantSchool = z.object({
  name: Text,
  /** ШНОР or ШНСУ. */
  kind: Text,
  municipality: Text,
  director: Text,
  curator: Text,
  /** The curator's position and organisation, when known. */
  curatorPosition: Text.optional(),
  /** The partner school, when one is chosen. */
  partner: Text.optional(),
});

const WorkingGroup = z.object({
  municipality: Text,
  members: z.array(z.object({ name: Text, role: Text })).min(1, { error: 'в рабочей группе нет ни одного участника' }),
});

const OrderInput = z.object({
  /** Who issues the order: «Министерство образования и молодежной политики Рязанской области». */
  issuer: Text,
  place: Text,
  /** The program, in the genitive after «В целях реализации». */
  program: Text,
  /** «2026 год» or «2026/2027 учебный год». */
  period: Text,
  schools: z.array(ParticipantSchool).min(1, { error: 'в перечне нет ни одной школы-участницы' }),
  workingGroups: z.array(WorkingGroup).min(1, { error: 'нет ни одной муниципальной рабочей группы' }),
  /** Who is charged with control of the order; absent: the signer keeps it. */
  controller: Signer.optional(),
  signer: Signer,
});

const OrderData = OrderInput.extend({
  number: Text,
  date: IsoDate,
  schools: z.array(ParticipantSchool.extend({ n: z.number() })),
  workingGroups: z.array(WorkingGroup.extend({ n: z.number(), members: z.array(z.object({ name: Text, role: Text, n: z.number() })) })),
  /** How many schools and municipalities: «10 общеобразовательных организаций из 8 муниципальных образований». */
  schoolCount: z.number(),
  municipalityCount: z.number(),
});

export const orderTemplate = defineTemplate({
  id: 'order',
  title: 'Приказ об утверждении перечня школ-участниц, кураторов и муниципальных рабочих групп',
  file: 'order.docx',
  input: OrderInput,
  data: OrderData,
  prepare: (input, issue) => ({
    ...input,
    ...issue,
    schools: numbered(input.schools),
    workingGroups: numbered(input.workingGroups.map((group) => ({ ...group, members: numbered(group.members) }))),
    schoolCount: input.schools.length,
    municipalityCount: new Set(input.schools.map((school) => school.municipality)).size,
  }),
  fileName: (data) => safeFileName(`Приказ № ${data.number} об утверждении перечня школ-участниц`),
  sample: {
    issuer: 'Министерство образования и молодежной политики Рязанской области',
    place: 'г. Рязань',
    program: 'мероприятия «Повышение качества образования в школах с низкими результатами обучения и в школах, функционирующих в неблагоприятных социальных условиях»',
    period: '2026 год',
    schools: [
      { name: 'МОУ «Ерахтурская средняя школа»', kind: 'ШНОР', municipality: 'Шиловский муниципальный район', director: 'Жукова Светлана Михайловна', curator: 'Васильева Ирина Александровна', curatorPosition: 'методист ОГБУ ДПО «РИРО»', partner: 'МБОУ «Шиловская средняя школа № 1»' },
      { name: 'МБОУ «Сынтульская средняя школа»', kind: 'ШНСУ', municipality: 'Касимовский муниципальный район', director: 'Тарасов Алексей Викторович', curator: 'Никитина Ольга Петровна' },
    ],
    workingGroups: [
      { municipality: 'Шиловский муниципальный район', members: [{ name: 'Лебедев Сергей Иванович', role: 'руководитель рабочей группы, начальник управления образования' }, { name: 'Жукова Светлана Михайловна', role: 'директор МОУ «Ерахтурская средняя школа»' }] },
      { municipality: 'Касимовский муниципальный район', members: [{ name: 'Тарасов Алексей Викторович', role: 'директор МБОУ «Сынтульская средняя школа»' }] },
    ],
    signer: { position: 'Министр образования и молодежной политики Рязанской области', name: 'Соколов Андрей Николаевич' },
  },
});
