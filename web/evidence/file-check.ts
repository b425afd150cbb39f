/**
 * The check of the files an executor attaches to a report, by what is in them, not by their
 * names: PDF, PNG, JPEG, GIF and WebP by their first bytes; Word (.docx) and Excel (.xlsx) as ZIP
 * archives holding an Office package's parts. Anything else is refused with a Russian sentence
 * naming the file, and so is an empty file, a file over the size limit, or a file past the limits
 * of one report. A file accepted by content is stored and served under the type found, its name
 * given the extension that fits when it had a wrong one or none.
 *
 * Pure: no I/O. Storing the accepted files is `store/evidence-files.ts`.
 */
import PizZip from 'pizzip';
import { cleanFileName, sha256Of } from '../../store/evidence-files.ts';

/** The kinds of file accepted: the media type each is served with and its extension (the first one). */
export const EVIDENCE_KINDS = {
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'] },
  png: { mediaType: 'image/png', extensions: ['png'] },
  jpeg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  gif: { mediaType: 'image/gif', extensions: ['gif'] },
  webp: { mediaType: 'image/webp', extensions: ['webp'] },
} as const;
export type EvidenceKind = keyof typeof EVIDENCE_KINDS;

export interface EvidenceLimits {
  /** Bytes of one file. */
  fileBytes: number;
  /** Files of one report. */
  files: number;
  /** Bytes of one report's files together. */
  reportBytes: number;
}

const MB = 1024 * 1024;

export const EVIDENCE_LIMITS: EvidenceLimits = { fileBytes: 20 * MB, files: 10, reportBytes: 50 * MB };

/** For `<input type="file" accept="…">`: the extensions and types accepted (the check by content still decides). */
export const EVIDENCE_ACCEPT = Object.values(EVIDENCE_KINDS)
  .flatMap((kind) => [...kind.extensions.map((extension) => `.${extension}`), kind.mediaType])
  .join(',');

/** A file as uploaded. */
export interface EvidenceUpload {
  name: string;
  content: Uint8Array;
}

export interface AcceptedEvidence {
  /** The name as uploaded, cleaned (`cleanFileName`): for messages. */
  name: string;
  /** The name to store and serve it under: `name`, with the extension that fits its content when it had a wrong one or none. */
  fileName: string;
  kind: EvidenceKind;
  mediaType: string;
  /** The extension that fits the content, without the dot: `docx`, `jpg`. */
  extension: string;
  size: number;
  sha256: string;
  content: Buffer;
}

export interface RefusedEvidence {
  /** The name as uploaded, cleaned. */
  name: string;
  /** A Russian sentence naming the file and saying why: shown to the executor as it is. */
  reason: string;
}

export type EvidenceCheck = ({ accepted: true } & AcceptedEvidence) | ({ accepted: false } & RefusedEvidence);

/** What the executor reads: every refusal names the file and says what to do. */
const ACCEPTED_TYPES = 'документы Word (.docx), таблицы Excel (.xlsx), PDF и изображения (PNG, JPEG, GIF, WebP)';
const REFUSALS = {
  type: (name: string) => `Файл «${name}» не принят: принимаются ${ACCEPTED_TYPES}.`,
  notWhatNamed: (name: string, kind: string) => `Файл «${name}» не принят: по содержимому это не ${kind} (файл переименован или повреждён); принимаются ${ACCEPTED_TYPES}.`,
  empty: (name: string) => `Файл «${name}» не принят: он пустой.`,
  tooLarge: (name: string, size: number, limit: number) => `Файл «${name}» не принят: в нём ${megabytes(size)}, а принимается файл не больше ${megabytes(limit)}.`,
  oldWord: (name: string) => `Файл «${name}» не принят: это документ Word старого формата (.doc); сохраните его как .docx или PDF и приложите снова.`,
  oldExcel: (name: string) => `Файл «${name}» не принят: это таблица Excel старого формата (.xls); сохраните её как .xlsx или PDF и приложите снова.`,
  password: (name: string) => `Файл «${name}» не принят: он защищён паролем; снимите пароль и приложите файл снова.`,
  damaged: (name: string) => `Файл «${name}» не принят: он повреждён или зашифрован, открыть его не удаётся.`,
  macros: (name: string) => `Файл «${name}» не принят: в нём макросы; сохраните его как .docx или .xlsx без макросов и приложите снова.`,
  duplicate: (name: string, first: string) => `Файл «${name}» не принят: это тот же файл, что «${first}», он уже приложен.`,
  tooMany: (name: string, limit: number) => `Файл «${name}» не принят: к одному отчёту можно приложить не больше ${limit} ${filesWord(limit)}.`,
  reportTooLarge: (name: string, limit: number) => `Файл «${name}» не принят: все файлы одного отчёта вместе должны занимать не больше ${megabytes(limit)}.`,
} as const;

type Refusal = 'type' | 'oldWord' | 'oldExcel' | 'password' | 'damaged' | 'macros';

/** The hint beside the file field: what may be attached and how much. */
export function evidenceHint(limits: EvidenceLimits = EVIDENCE_LIMITS): string {
  return `Можно приложить ${ACCEPTED_TYPES}: до ${limits.files} ${filesWord(limits.files)}, каждый до ${megabytes(limits.fileBytes)}, все вместе до ${megabytes(limits.reportBytes)}.`;
}

/**
 * Checks one file by its content and size.
 *
 * @example
 * checkEvidenceFile({ name: 'скан', content: jpegBytes })
 * // { accepted: true, kind: 'jpeg', mediaType: 'image/jpeg', extension: 'jpg', fileName: 'скан.jpg', … }
 */
/** What a kind is called in a refusal: «по содержимому это не PDF». */
const KIND_WORDS: Record<EvidenceKind, string> = { docx: 'документ Word', xlsx: 'таблица Excel', pdf: 'PDF', png: 'изображение PNG', jpeg: 'изображение JPEG', gif: 'изображение GIF', webp: 'изображение WebP' };

/** The accepted kind a file's name says it is, by its extension. */
function kindNamed(name: string): EvidenceKind | undefined {
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : (Object.keys(EVIDENCE_KINDS) as EvidenceKind[]).find((kind) => (EVIDENCE_KINDS[kind].extensions as readonly string[]).includes(extension));
}

export function checkEvidenceFile(file: EvidenceUpload, limits: EvidenceLimits = EVIDENCE_LIMITS): EvidenceCheck {
  const name = cleanFileName(file.name);
  const size = file.content.byteLength;
  if (size === 0) return { accepted: false, name, reason: REFUSALS.empty(name) };
  if (size > limits.fileBytes) return { accepted: false, name, reason: REFUSALS.tooLarge(name, size, limits.fileBytes) };
  const content = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength);
  const found = detect(content);
  if ('refusal' in found) {
    // A name that promises a kind its bytes are not: say so, before what is accepted.
    const promised = found.refusal === 'type' ? kindNamed(name) : undefined;
    return { accepted: false, name, reason: promised ? REFUSALS.notWhatNamed(name, KIND_WORDS[promised]) : REFUSALS[found.refusal](name) };
  }
  const { mediaType, extensions } = EVIDENCE_KINDS[found.kind];
  return { accepted: true, name, fileName: cleanFileName(fittingName(name, extensions)), kind: found.kind, mediaType, extension: extensions[0], size, sha256: sha256Of(content), content };
}

/**
 * Checks the files of one report: each by `checkEvidenceFile`, then, in the order given, a file
 * the same as one accepted before it, and files past the report's count or total size, are
 * refused too. A refused file takes no place, so the files after it may still be accepted. A
 * part with neither name nor bytes (a file field left empty) is not a file and is passed over.
 */
export function checkEvidenceFiles(files: readonly EvidenceUpload[], limits: EvidenceLimits = EVIDENCE_LIMITS): { accepted: AcceptedEvidence[]; refused: RefusedEvidence[] } {
  const accepted: AcceptedEvidence[] = [];
  const refused: RefusedEvidence[] = [];
  let total = 0;
  for (const file of files) {
    if (file.name.trim() === '' && file.content.byteLength === 0) continue;
    const check = checkEvidenceFile(file, limits);
    if (!check.accepted) {
      refused.push({ name: check.name, reason: check.reason });
      continue;
    }
    const { accepted: _, ...evidence } = check;
    const same = accepted.find((other) => other.sha256 === evidence.sha256);
    if (same) refused.push({ name: evidence.name, reason: REFUSALS.duplicate(evidence.name, same.name) });
    else if (accepted.length >= limits.files) refused.push({ name: evidence.name, reason: REFUSALS.tooMany(evidence.name, limits.files) });
    else if (total + evidence.size > limits.reportBytes) refused.push({ name: evidence.name, reason: REFUSALS.reportTooLarge(evidence.name, limits.reportBytes) });
    else {
      accepted.push(evidence);
      total += evidence.size;
    }
  }
  return { accepted, refused };
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
/** An OLE compound file: old Word and Excel files, and Office files protected by a password. */
const COMPOUND = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP = Buffer.from('PK\x03\x04', 'latin1');

function startsWith(content: Buffer, prefix: Buffer | string, at = 0): boolean {
  const bytes = typeof prefix === 'string' ? Buffer.from(prefix, 'latin1') : prefix;
  return content.length >= at + bytes.length && content.subarray(at, at + bytes.length).equals(bytes);
}

function detect(content: Buffer): { kind: EvidenceKind } | { refusal: Refusal } {
  if (startsWith(content, '%PDF-')) return { kind: 'pdf' };
  if (startsWith(content, PNG)) return { kind: 'png' };
  if (startsWith(content, JPEG)) return { kind: 'jpeg' };
  if (startsWith(content, 'GIF87a') || startsWith(content, 'GIF89a')) return { kind: 'gif' };
  if (startsWith(content, 'RIFF') && startsWith(content, 'WEBP', 8)) return { kind: 'webp' };
  if (startsWith(content, ZIP)) return officePackage(content);
  if (startsWith(content, COMPOUND)) return compoundFile(content);
  return { refusal: 'type' };
}

/** An Office package is a ZIP with `[Content_Types].xml` and its main part. Nothing is unpacked but the small `[Content_Types].xml`. */
function officePackage(content: Buffer): { kind: EvidenceKind } | { refusal: Refusal } {
  let zip: PizZip;
  try {
    zip = new PizZip(content);
  } catch {
    // Cut short, garbled, or encrypted (PizZip refuses encrypted entries).
    return { refusal: 'damaged' };
  }
  const kind: EvidenceKind | undefined = zip.file('word/document.xml') ? 'docx' : zip.file('xl/workbook.xml') ? 'xlsx' : undefined;
  const types = zip.file('[Content_Types].xml');
  if (!kind || !types) return { refusal: 'type' };
  if (zip.file(kind === 'docx' ? 'word/vbaProject.bin' : 'xl/vbaProject.bin')) return { refusal: 'macros' };
  if (!readableContentTypes(types)) return { refusal: 'damaged' };
  return { kind };
}

/**
 * Whether `[Content_Types].xml` unpacks to the XML it should be. Its sizes, as the archive
 * declares them, are looked at first: a real one is a few kilobytes, and one that unpacks to
 * gigabytes must not be unpacked at all.
 */
function readableContentTypes(entry: PizZip.ZipObject): boolean {
  // PizZip keeps the sizes from the archive's directory on the entry's `_data`; it has no public way to them.
  const sizes = (entry as unknown as { _data?: { compressedSize?: number; uncompressedSize?: number } })._data;
  if (!sizes || sizes.compressedSize === undefined || sizes.uncompressedSize === undefined) return false;
  if (sizes.compressedSize > 64 * 1024 || sizes.uncompressedSize > 1024 * 1024) return false;
  try {
    return /^\uFEFF?\s*(<\?xml[^]*?\?>\s*)?<Types[\s>]/.test(entry.asText());
  } catch {
    return false;
  }
}

/** An OLE compound file names its streams in UTF-16: `WordDocument`, `Workbook`, `EncryptedPackage`. */
function compoundFile(content: Buffer): { refusal: Refusal } {
  const has = (stream: string) => content.includes(Buffer.from(stream, 'utf16le'));
  if (has('EncryptedPackage')) return { refusal: 'password' };
  if (has('WordDocument')) return { refusal: 'oldWord' };
  if (has('Workbook')) return { refusal: 'oldExcel' };
  return { refusal: 'type' };
}

/** Extensions that say a file's type: one of them on a file of another type is replaced, not kept before the right one. */
const TYPE_EXTENSIONS = new Set([
  ...Object.values(EVIDENCE_KINDS).flatMap((kind) => kind.extensions),
  ...['doc', 'docm', 'dot', 'dotx', 'xls', 'xlsm', 'xlt', 'xltx', 'rtf', 'odt', 'ods', 'txt', 'tif', 'tiff', 'bmp', 'heic', 'heif', 'zip', 'bin', 'dat', 'htm', 'html'],
]);

/** `скан` → `скан.jpg`; `план.pdf` holding a Word document → `план.docx`; `приказ от 01.02.2026` → `приказ от 01.02.2026.pdf`; `фото.JPEG` stays. */
function fittingName(name: string, extensions: readonly string[]): string {
  const dot = name.lastIndexOf('.');
  const current = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (extensions.includes(current)) return name;
  const stem = TYPE_EXTENSIONS.has(current) ? name.slice(0, dot) : name;
  return `${stem}.${extensions[0]}`;
}

/** `25,3 МБ`: rounded up to a tenth, so a file just over the limit never reads as the limit itself. */
function megabytes(bytes: number): string {
  const tenths = Math.ceil((bytes / MB) * 10) / 10;
  return `${String(tenths).replace('.', ',')} МБ`;
}

/** «не больше 10 файлов», «не больше 1 файла»; «до 10 файлов», «до 21 файла». */
function filesWord(count: number): string {
  return count % 10 === 1 && count % 100 !== 11 ? 'файла' : 'файлов';
}
