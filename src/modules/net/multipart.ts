// uri's body_format form-multipart: the body built as Ansible's prepare_multipart builds it
// (fields sorted, strings as text/plain parts, files base64-encoded with their MIME type).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isDict, pyStr } from '../../template/pyvalues';
import { ModuleFail } from '../common';
import type { ModuleContext } from '../types';

/** The few types Python's mimetypes.guess_type names for common extensions. */
const MIME_TYPES: Record<string, string> = {
  '.txt': 'text/plain', '.text': 'text/plain', '.conf': 'text/plain', '.log': 'text/plain', '.csv': 'text/csv',
  '.html': 'text/html', '.htm': 'text/html', '.css': 'text/css', '.xml': 'text/xml', '.js': 'text/javascript',
  '.json': 'application/json', '.pdf': 'application/pdf', '.zip': 'application/zip', '.gz': 'application/gzip',
  '.tar': 'application/x-tar', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.svg': 'image/svg+xml', '.yaml': 'application/yaml', '.yml': 'application/yaml', '.sh': 'application/x-sh',
  '.py': 'text/x-python',
};

/** Python's class name of a value (for the TypeError texts). */
function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'string' ? 'str' : 'object';
}

const fail = (why: string): never => {
  throw new ModuleFail(`failed to parse body as form-multipart: ${why}`);
};

/** 76-column base64 lines, as email's base64 encoder writes them. */
function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/**
 * Content-Type and body of a form-multipart request. A file named without content is read
 * from the controller's files/ search path (Ansible's uri action uploads it), or from the
 * target with remote_src.
 */
export async function multipartBody(ctx: ModuleContext, body: unknown, remoteSrc: boolean): Promise<{ contentType: string; body: string }> {
  if (!isDict(body)) fail(`Mapping is required, cannot be type ${pyTypeName(body)}`);
  const boundary = `===============${crypto.randomInt(1e9, 1e10 - 1)}${crypto.randomInt(1e8, 1e9 - 1)}==`;
  const parts: string[] = [];
  for (const field of Object.keys(body as Record<string, unknown>).sort()) {
    const value = (body as Record<string, unknown>)[field];
    let mime = 'text/plain';
    let content: string | null = null;
    let filename: string | null = null;
    if (typeof value === 'string') {
      content = value;
    } else if (isDict(value)) {
      filename = value.filename == null || value.filename === '' ? null : pyStr(value.filename);
      content = value.content == null || value.content === '' ? null : pyStr(value.content);
      if (!filename && !content) fail('at least one of filename or content must be provided');
      mime = value.mime_type ? pyStr(value.mime_type) : MIME_TYPES[path.extname(filename ?? '').toLowerCase()] ?? 'application/octet-stream';
    } else {
      fail(`value must be a string, or mapping, cannot be type ${pyTypeName(value)}`);
    }
    const disposition = `Content-Disposition: form-data; name="${field}"${filename ? `; filename="${path.posix.basename(filename)}"` : ''}`;
    if (!content && filename) {
      const data = await readUploadFile(ctx, filename, remoteSrc);
      parts.push(`Content-Transfer-Encoding: base64\r\nContent-Type: ${mime}\r\n${disposition}\r\n\r\n${base64Lines(data)}\r\n`);
    } else {
      parts.push(`Content-Type: ${mime}\r\n${disposition}\r\n\r\n${content ?? ''}`);
    }
  }
  const text = parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`;
  return { contentType: `multipart/form-data; boundary="${boundary}"`, body: text };
}

/** A file uri sends: from the controller's files/ search path, or with remote_src from the target. */
export async function readUploadFile(ctx: ModuleContext, filename: string, remoteSrc: boolean): Promise<Buffer> {
  if (remoteSrc) {
    try {
      return await ctx.conn.fetch(filename);
    } catch {
      throw new ModuleFail(`[Errno 2] No such file or directory: '${filename}'`);
    }
  }
  const local = ctx.controller.findFile('files', filename);
  if (!local) throw new ModuleFail(`Could not find or access '${filename}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`);
  return fs.readFileSync(local);
}
