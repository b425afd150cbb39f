/** The text of a .docx's body as the XML holds it, a line per paragraph: for checks that need no LibreOffice. */
import PizZip from 'pizzip';

export function docxText(content: Buffer): string {
  const xml = new PizZip(content).file('word/document.xml')!.asText();
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<w:br\/>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
