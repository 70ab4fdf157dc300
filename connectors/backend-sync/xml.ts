/**
 * The syncBusInfo XML, read and written. Requests are a flat document
 * (`<data><op>GET</op><source_id>…</source_id>…</data>`), bare or as the
 * `xmlData` string of a SOAP 1.1 call; answers are `<DATA><RESULT>0|1</RESULT>
 * <ERROR>…</ERROR>…</DATA>`, wrapped the same way the request came. The reader
 * is strict about structure (no DTDs, no nesting, nothing between the fields)
 * but forgives the stray blanks inside tags the interface document itself
 * shows (`< RESULT >`, `</ detail >`).
 */

export class XmlProblem extends Error {}

interface DataDocument {
  /** By lower-cased name: the document writes `<op>` and `< RESULT >` alike. */
  fields: Record<string, string>;
  /** It came as a SOAP call: answer as one. */
  soap: boolean;
}

const DECLARATION = /^\s*<\?xml[^?]*\?>/;
const COMMENTS = /<!--[\s\S]*?-->/g;
const NAME = '[A-Za-z_][\\w.-]*';
const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

export function readDataDocument(xml: string): DataDocument {
  const text = xml
    .replace(/^\uFEFF/, '')
    .replace(DECLARATION, '')
    .replace(COMMENTS, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlProblem('DTDs are not accepted');
  if (/^\s*<\s*([\w.-]+:)?Envelope[\s>]/.test(text)) {
    const call = new RegExp(`<\\s*(?:${NAME}:)?xmlData\\b[^>]*>([\\s\\S]*?)<\\/\\s*(?:${NAME}:)?xmlData\\s*>`).exec(text);
    if (!call) throw new XmlProblem('the SOAP call carries no xmlData');
    return { fields: lowerCased(readFlat(decodeText(call[1]!).replace(DECLARATION, ''))), soap: true };
  }
  return { fields: lowerCased(readFlat(text)), soap: false };
}

const lowerCased = (fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).map(([name, value]) => [name.toLowerCase(), value]));

/** `<data>` with one level of text fields; a name may appear once, whatever its case. */
function readFlat(text: string): Record<string, string> {
  const root = /^\s*<\s*data\s*>([\s\S]*)<\/\s*data\s*>\s*$/i.exec(text);
  if (!root) throw new XmlProblem('the document is not a <data> element');
  const fields: Record<string, string> = {};
  const seen = new Set<string>();
  const field = new RegExp(`<\\s*(${NAME})\\s*(?:\\/>|>([^<]*|<!\\[CDATA\\[[\\s\\S]*?\\]\\]>)<\\/\\s*\\1\\s*>)`, 'gi');
  let rest = root[1]!;
  rest = rest.replace(field, (_, name: string, value: string | undefined) => {
    if (seen.has(name.toLowerCase())) throw new XmlProblem(`<${name}> appears twice`);
    seen.add(name.toLowerCase());
    fields[name] = decodeText(value ?? '');
    return '';
  });
  if (rest.trim()) throw new XmlProblem(`unexpected content in <data>: ${rest.trim().slice(0, 40)}`);
  return fields;
}

function decodeText(raw: string): string {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(raw);
  if (cdata) return cdata[1]!;
  if (raw.includes('<')) throw new XmlProblem('fields hold text only');
  return raw.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, entity: string) => {
    const e = entity.toLowerCase();
    if (e.startsWith('#')) return character(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e]!;
  });
}

function character(code: number): string {
  if (code < 1 || code > 0x10ffff) throw new XmlProblem(`&#${code}; is not a character`);
  return String.fromCodePoint(code);
}

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** A field's text: scalars as written, structures as JSON (the legacy side reads them as strings). */
const fieldText = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** An answer: RESULT 0 with the fields, or 1 with the error. */
export function writeAnswer(result: { error: string } | { fields: Record<string, unknown> }, soap: boolean): string {
  const items =
    'fields' in result
      ? Object.entries(result.fields)
          .map(([name, value]) => `<${name}>${escapeXml(fieldText(value))}</${name}>`)
          .join('')
      : '';
  const data = `<?xml version="1.0" encoding="UTF-8"?><DATA><RESULT>${'error' in result ? 1 : 0}</RESULT><ERROR>${'error' in result ? escapeXml(result.error) : ''}</ERROR>${items}</DATA>`;
  if (!soap) return data;
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_NS}"><soap:Body><syncBusInfoResponse><return>${escapeXml(data)}</return></syncBusInfoResponse></soap:Body></soap:Envelope>`;
}

/** A request document, as a business system writes it (the simulator and tests use it). */
export function writeRequest(fields: Record<string, string>): string {
  return `<?xml version="1.0" encoding="UTF-8"?><data>${Object.entries(fields)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('')}</data>`;
}

/** The same as a SOAP 1.1 call of syncBusInfo(String xmlData). */
export function writeSoapCall(xmlData: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_NS}"><soap:Body><syncBusInfo><xmlData>${escapeXml(xmlData)}</xmlData></syncBusInfo></soap:Body></soap:Envelope>`;
}

/** Read an answer back (the simulator and tests): RESULT, ERROR and the fields. */
export function readAnswer(xml: string): { result: string; error: string; fields: Record<string, string> } {
  let text = xml.replace(DECLARATION, '');
  const wrapped = /<return>([\s\S]*)<\/return>/.exec(text);
  if (wrapped) text = decodeText(wrapped[1]!).replace(DECLARATION, '');
  const fields = readFlat(text);
  const named = (wanted: string) => Object.keys(fields).find((name) => name.toUpperCase() === wanted);
  const [result, error] = [named('RESULT'), named('ERROR')];
  return { result: result ? fields[result]! : '', error: error ? fields[error]! : '', fields: Object.fromEntries(Object.entries(fields).filter(([name]) => name !== result && name !== error)) };
}
