/**
 * Writing SVG text safely: XML escaping of user-supplied labels, compact coordinates, a width
 * estimate for laying out text without a font engine, and the standalone SVG 1.1 document.
 */

/** DejaVu Sans is what the Debian machines have (fc-list); the rest are the usual fallbacks. */
export const FONT_FAMILY = 'DejaVu Sans, Helvetica, Arial, sans-serif';

// Characters XML 1.0 forbids even when escaped, and unpaired UTF-16 surrogates: either makes the
// whole document unparseable, so one bad byte in a caption would lose the chart.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an element or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * A coordinate rounded to 0.1 px (enough for anti-aliased rendering, and it keeps a 20,000-point
 * scatter small). Non-finite input would make the document invalid, so it becomes 0; the charts
 * filter such values before they get here.
 */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

/**
 * Estimated rendered width in px. Advance widths are approximations of DejaVu Sans (a wide
 * font), rounded up so that layout errs towards too much room rather than overlap.
 */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const c of text) {
    if (/[iljtfrI.,:;'|!()[\]\s]/.test(c)) em += 0.36;
    else if (/[mwMW@%]/.test(c)) em += 0.95;
    else if (/[A-Z]/.test(c)) em += 0.72;
    else em += 0.64;
  }
  return em * fontSize;
}

/** `text` on one line, shortened with an ellipsis so it fits `maxWidth` px. */
export function fitText(text: string, maxWidth: number, fontSize: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (textWidth(line, fontSize) <= maxWidth) return line;
  const chars = [...line];
  while (chars.length > 0 && textWidth(chars.join('') + '…', fontSize) > maxWidth) chars.pop();
  return chars.length > 0 ? chars.join('').trimEnd() + '…' : '';
}

/** An element; numeric attributes are written as coordinates via num() (opacities as they are), string ones are escaped. */
export function element(name: string, attributes: Record<string, string | number | undefined>, content?: string): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? (k.endsWith('opacity') && Number.isFinite(v) ? String(v) : num(v)) : escapeXml(v!)}"`)
    .join('');
  return content === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}

/** A text element whose (already fitted) content is escaped here. */
export function textElement(x: number, y: number, text: string, attributes: Record<string, string | number | undefined> = {}): string {
  return element('text', { x, y, ...attributes }, escapeXml(text));
}

/** The standalone document: explicit size and viewBox so it renders the same inline in HTML and in librsvg. */
export function svgDocument(width: number, height: number, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
