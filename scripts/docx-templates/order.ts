/** The layout of templates/docx/order.docx: see templates/documents/order.ts for its data. */
import { bold, centered, empty, leftRight, loopTable, officeDocument, para, plain, right, section, signature } from './blocks.ts';

/** The mark in the top right corner of an appendix. */
function appendixMark(n: number) {
  return [right(`Приложение ${n}`), right('к приказу от {date | dateNumeric} № {number}', { spaceAfter: 360 })];
}

export function orderLayout() {
  return officeDocument('Приказ об утверждении перечня школ-участниц, кураторов и муниципальных рабочих групп', [
    {
      children: [
        centered([bold('{issuer | upper}')], { spaceAfter: 360 }),
        centered([bold('ПРИКАЗ')], { size: 32, spaceAfter: 360 }),
        leftRight('{date | dateQuoted}', '№ {number}', { spaceAfter: 120 }),
        centered('{place}', { spaceAfter: 480 }),
        centered([bold('Об утверждении перечня общеобразовательных организаций — участников {program}, персональных кураторов и составов муниципальных рабочих групп')], { spaceAfter: 480 }),
        // «на 2026 год», «на 2026/2027 учебный год»: the period stays in the nominative as the plan writes it.
        para([
          'В целях реализации {program} на {period}, оказания адресной методической поддержки общеобразовательным организациям с низкими результатами обучения и общеобразовательным организациям, функционирующим в неблагоприятных социальных условиях, и координации деятельности муниципальных органов управления образованием ',
          bold('ПРИКАЗЫВАЮ:'),
        ]),
        para('1. Утвердить перечень общеобразовательных организаций — участников {program} на {period} (далее — школы-участницы) с закреплёнными за ними персональными кураторами и школами-партнёрами (приложение 1).'),
        para('2. Утвердить составы муниципальных рабочих групп по сопровождению школ-участниц (приложение 2).'),
        para('3. Персональным кураторам школ-участниц:'),
        para('3.1. в течение десяти рабочих дней со дня подписания настоящего приказа провести установочные встречи с руководителями закреплённых за ними школ-участниц;'),
        para('3.2. оказывать школам-участницам методическую и консультационную помощь в проведении самодиагностики, разработке и реализации программ перехода в эффективный режим работы;'),
        para('3.3. посещать закреплённые школы-участницы не реже одного раза в квартал и отражать результаты посещений в картах сопровождения;'),
        para('3.4. ежеквартально, до 5-го числа месяца, следующего за отчётным кварталом, представлять в региональный проектный офис информацию о ходе сопровождения школ-участниц.'),
        para('4. Рекомендовать руководителям муниципальных органов управления образованием:'),
        para('4.1. обеспечить деятельность муниципальных рабочих групп в составах, утверждённых настоящим приказом;'),
        para('4.2. организовать взаимодействие школ-участниц с персональными кураторами и школами-партнёрами, в том числе заключение договоров о сотрудничестве (сетевом партнёрстве);'),
        para('4.3. обеспечить своевременное представление школами-участницами сведений для проведения мониторинга.'),
        para('5. Рекомендовать руководителям школ-участниц:'),
        para('5.1. в течение одного месяца со дня подписания настоящего приказа разработать и утвердить программы перехода в эффективный режим работы, согласовав их с персональными кураторами;'),
        para('5.2. назначить ответственных за взаимодействие с персональными кураторами и школами-партнёрами;'),
        para('5.3. обеспечить участие управленческих и педагогических команд школ в мероприятиях, предусмотренных планом-графиком.'),
        // «возложить на» would need the controller's name in the accusative («на … М. С. Иванову»), which no filter gives; the nominative reads right for anyone.
        para('6. {#controller}Контроль за исполнением настоящего приказа осуществляет {controller.position} {controller.name | initials}.{/controller}{^controller}Контроль за исполнением настоящего приказа оставляю за собой.{/controller}'),
        signature('signer', { spaceBefore: 720 }),
        empty(),
      ],
    },
    {
      // The list has seven columns: on a landscape page names and municipalities fit without breaking inside words.
      landscape: true,
      children: [
        ...appendixMark(1),
        centered([bold('ПЕРЕЧЕНЬ')]),
        centered([bold('общеобразовательных организаций — участников {program} на {period}, их персональных кураторов и школ-партнёров')], { spaceAfter: 240 }),
        loopTable('schools', [
          { header: '№ п/п', widthCm: 1.0, cell: '{n}', align: 'center' },
          { header: 'Общеобразовательная организация', widthCm: 5.1, cell: '{name}' },
          { header: 'Категория', widthCm: 2.2, cell: '{kind}', align: 'center' },
          { header: 'Муниципальное образование', widthCm: 4.0, cell: '{municipality}' },
          { header: 'Директор', widthCm: 3.6, cell: '{director}' },
          { header: 'Персональный куратор', widthCm: 5.4, cell: '{curator}{#curatorPosition}, {curatorPosition}{/curatorPosition}' },
          { header: 'Школа-партнёр', widthCm: 4.4, cell: '{#partner}{partner}{/partner}{^partner}не определена{/partner}' },
        ]),
        plain('Всего: {schoolCount | plural:"общеобразовательная организация":"общеобразовательные организации":"общеобразовательных организаций"} из {municipalityCount | plural:"муниципального образования":"муниципальных образований":"муниципальных образований"}.', { spaceBefore: 120 }),
        empty(),
      ],
    },
    {
      children: [
        ...appendixMark(2),
        centered([bold('СОСТАВЫ')]),
        centered([bold('муниципальных рабочих групп по сопровождению общеобразовательных организаций — участников {program}')], { spaceAfter: 120 }),
        ...section('workingGroups', [
          centered([bold('{n}. {municipality}')], { spaceBefore: 240, spaceAfter: 120 }),
          loopTable('members', [
            { header: '№ п/п', widthCm: 1.0, cell: '{n}', align: 'center' },
            { header: 'Фамилия, имя, отчество', widthCm: 5.5, cell: '{name}' },
            { header: 'Должность, роль в рабочей группе', widthCm: 10.0, cell: '{role}' },
          ]),
        ]),
        empty(),
      ],
    },
  ]);
}
