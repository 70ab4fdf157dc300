/**
 * A BPMN file's bytes as text, decoded as the file says: the Content-Type's
 * charset when the client names one, else the XML declaration's encoding
 * (Camunda Modeler and other tools write ISO-8859-1 and windows-1252 files),
 * else a byte-order mark, else UTF-8. An encoding nobody knows is refused
 * naming it rather than read as garbage.
 */
import { TextDecoder } from 'node:util';
import type { NextFunction, Request, Response } from 'express';
import { invalid, t } from '../core/errors.ts';

const DECLARED = /^<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/;

/** WHATWG: these labels all mean windows-1252, whose 0x80–0x9F are letters and signs (– “ ” €), not controls. */
const WINDOWS_1252_LABELS = new Set(['windows-1252', 'cp1252', 'x-cp1252', 'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1', 'us-ascii', 'ascii', 'cp819', 'ibm819']);
const C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function decodeXml(bytes: Buffer, charset: string | null): string {
  const bom = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : null;
  const declared =
    DECLARED.exec(
      bytes
        .subarray(0, 256)
        .toString('latin1')
        .replace(/^\uFEFF|^ï»¿/, ''),
    )?.[1] ?? null;
  const label = charset ?? bom ?? declared ?? 'utf-8';
  // Node's decoder reads windows-1252 as ISO-8859-1: the 32 code points that differ are mapped here.
  if (WINDOWS_1252_LABELS.has(label.toLowerCase())) return bytes.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => C1[c.charCodeAt(0) - 0x80]!);
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    throw invalid('xml', 'encoding', t(`无法识别的编码 ${label}`, `unknown encoding ${label}`));
  }
}

/** express.raw's Buffer for the XML types, turned into text as decodeXml reads it. */
export function xmlText(req: Request, _res: Response, next: NextFunction): void {
  if (!Buffer.isBuffer(req.body)) return next();
  try {
    req.body = decodeXml(req.body, /charset=([^;\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.replace(/"/g, '') ?? null);
    next();
  } catch (err) {
    next(err);
  }
}
