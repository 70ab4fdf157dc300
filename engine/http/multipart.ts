import busboy from 'busboy';
import type { Request } from 'express';
import { explain, invalid, t, WorkflowError } from '../core/errors.ts';
import type { UploadedFile } from './route.ts';

/**
 * Read a multipart/form-data body with one file part named `file` and a few
 * short text parts. A file over `maxBytes` is refused as soon as it is
 * exceeded, not after it was read.
 */
export function readMultipart(req: Request, maxBytes: number): Promise<{ fields: Record<string, string>; file: UploadedFile | null }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 1000, parts: 21 }, defParamCharset: 'utf8' });
    } catch (err) {
      reject(new WorkflowError('WF_ERR_BAD_REQUEST', { detail: explain(err, '上传内容的格式不正确') }, 'body'));
      return;
    }
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    let file: UploadedFile | null = null;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume(); // drain the rest, so the client gets the answer
      reject(err);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(invalid(`body.${name}`, 'maxLength', { 'zh-CN': '内容过长', en: 'is too long' }));
      else fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || file) {
        stream.resume();
        fail(invalid(`body.${name}`, 'unknown', { 'zh-CN': '只能上传一个名为 file 的文件', en: 'only one file, in the part named file, is taken' }));
        return;
      }
      const chunks: Buffer[] = [];
      // A body cut off inside the file fails the file stream too: unhandled, that error would end the process.
      stream.on('error', (err: Error) => fail(new WorkflowError('WF_ERR_BAD_REQUEST', { detail: explain(err, '上传内容的格式不正确') }, 'body')));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(new WorkflowError('WF_ERR_FILE_TOO_LARGE', { name: info.filename ?? 'file', limit: `${Math.round(maxBytes / 1024 / 1024)} MB` })));
      stream.on('end', () => {
        file = { name: info.filename ?? 'file', bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('partsLimit', () => fail(invalid('body', 'maxProperties', { 'zh-CN': '表单项过多', en: 'has too many parts' })));
    parser.on('fieldsLimit', () => fail(invalid('body', 'maxProperties', { 'zh-CN': '表单项过多', en: 'has too many parts' })));
    parser.on('error', (err: Error) => fail(new WorkflowError('WF_ERR_BAD_REQUEST', { detail: explain(err, '上传内容的格式不正确') }, 'body')));
    parser.on('close', () => {
      if (!failed) resolve({ fields, file });
    });
    req.on('aborted', () => fail(new WorkflowError('WF_ERR_BAD_REQUEST', { detail: t('上传被中断', 'upload aborted') }, 'body')));
    req.on('error', (err: Error) => fail(new WorkflowError('WF_ERR_BAD_REQUEST', { detail: explain(err, '上传内容的格式不正确') }, 'body')));
    req.pipe(parser);
  });
}
