// ansible.builtin.template: render on the controller with the task's variables, then
// exactly copy's write path (checksum compare, atomic write, attributes, backup, validate).
import * as fs from 'fs';
import { TextDecoder } from 'util';
import * as os from 'os';
import * as path from 'path';
import { TsibleError } from '../../errors';
import { isVaultText, VAULT_HEADER } from '../../vault/envelope';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { addPathInfo, catchFail } from '../common';
import { FILE_COMMON_SPEC } from './spec-common';
import { copyOneFile } from './copy-core';

export const templateSpec = {
  ...FILE_COMMON_SPEC,
  backup: { type: 'bool', default: false },
  block_end_string: { type: 'str', default: '%}' },
  block_start_string: { type: 'str', default: '{%' },
  comment_end_string: { type: 'str' },
  comment_start_string: { type: 'str' },
  // src and dest are required and newline_sequence is one of \n, \r, \r\n, but the action
  // checks them first with its own messages (and accepts the escaped spellings)
  dest: { type: 'path' },
  follow: { type: 'bool', default: false },
  force: { type: 'bool', default: true },
  lstrip_blocks: { type: 'bool', default: false },
  newline_sequence: { type: 'str', default: '\n' },
  output_encoding: { type: 'str', default: 'utf-8' },
  src: { type: 'path' },
  trim_blocks: { type: 'bool', default: true },
  validate: { type: 'str' },
  variable_end_string: { type: 'str', default: '}}' },
  variable_start_string: { type: 'str', default: '{{' },
} as const;

function encode(text: string, encoding: string): Buffer {
  const enc = encoding.toLowerCase().replace(/[-_]/g, '');
  if (enc === 'utf8') return Buffer.from(text, 'utf8');
  if (enc === 'latin1' || enc === 'iso88591') return Buffer.from(text, 'latin1');
  if (enc === 'utf16le') return Buffer.from(text, 'utf16le');
  if (enc === 'ascii') return Buffer.from(text, 'ascii');
  const table = singleByteTable(encoding);
  if (!table) return Buffer.from(text, 'utf8');
  const out = Buffer.alloc(text.length);
  let n = 0;
  let pos = 0;
  for (const ch of text) {
    const b = table.get(ch);
    if (b === undefined) {
      const code = (ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0');
      throw new EncodeError(`'charmap' codec can't encode character '\\u${code}' in position ${pos}: character maps to <undefined>`);
    }
    out[n++] = b;
    pos++;
  }
  return out.subarray(0, n);
}

class EncodeError extends Error {}

/** windows-1252's 0x80-0x9F (Node's decoder treats the label as latin1); 81, 8D, 8F, 90, 9D are unassigned. */
const CP1252_HIGH = '€\u0000‚ƒ„…†‡ˆ‰Š‹Œ\u0000Ž\u0000\u0000‘’“”•–—˜™š›œ\u0000žŸ';

/** A single-byte encoding (windows-1252, iso-8859-15, koi8-r...) as char → byte, from the WHATWG decoder. */
function singleByteTable(encoding: string): Map<string, number> | null {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    return null;
  }
  const table = new Map<string, number>();
  if (decoder.encoding === 'windows-1252') {
    for (let b = 0; b < 256; b++) {
      const ch = b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] as string) : String.fromCharCode(b);
      if (ch !== '\u0000' || b === 0) table.set(ch, b);
    }
    return table;
  }
  for (let b = 0; b < 256; b++) {
    const ch = decoder.decode(Uint8Array.of(b));
    if ([...ch].length !== 1) return null;
    if (!table.has(ch)) table.set(ch, b);
  }
  return table;
}

const ESCAPED_NEWLINES: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n' };

/** The action's own checks, before anything is read: Ansible's messages. */
function checkArgs(args: Record<string, unknown>): string | null {
  const nl = args.newline_sequence as string;
  args.newline_sequence = ESCAPED_NEWLINES[nl] ?? nl;
  if (args.src === null || args.dest === null) return 'src and dest are required';
  if (!['\n', '\r', '\r\n'].includes(args.newline_sequence as string)) return 'newline_sequence needs to be one of: \n, \r or \r\n';
  return null;
}

/**
 * A vault-encrypted template is rendered from a decrypted copy in a private temp dir (Ansible's
 * get_real_file); undefined when the file is not encrypted.
 */
function decryptedCopy(ctx: ModuleContext, file: string): string | undefined {
  const head = Buffer.alloc(VAULT_HEADER.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!isVaultText(head)) return undefined;
  if (!ctx.controller.vault?.secrets.length) throw new TsibleError('VAULT', `A vault password or secret must be specified to decrypt ${file}`, undefined, 1);
  const plain = ctx.controller.vault.decrypt(fs.readFileSync(file, 'latin1'), file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-vault-'));
  const copy = path.join(dir, path.basename(file));
  fs.writeFileSync(copy, plain, { mode: 0o600 });
  return copy;
}

async function runTemplate(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const bad = checkArgs(args);
  if (bad) return { failed: true, msg: bad };
  const src = args.src as string;
  const found = ctx.controller.findFile('templates', src);
  if (!found || !fs.statSync(found).isFile()) {
    return { failed: true, msg: `Could not find or access '${src}' on the Ansible Controller.` };
  }
  const opts = {
    trimBlocks: args.trim_blocks as boolean,
    lstripBlocks: args.lstrip_blocks as boolean,
    newlineSequence: args.newline_sequence as string,
    variableStartString: args.variable_start_string as string,
    variableEndString: args.variable_end_string as string,
    blockStartString: args.block_start_string as string,
    blockEndString: args.block_end_string as string,
    dest: args.dest as string,
    ...(args.comment_start_string !== null ? { commentStartString: args.comment_start_string as string } : {}),
    ...(args.comment_end_string !== null ? { commentEndString: args.comment_end_string as string } : {}),
  };
  let text: string;
  let decrypted: string | undefined;
  try {
    decrypted = decryptedCopy(ctx, found);
    text = ctx.controller.renderTemplateFile(decrypted ?? found, opts);
  } catch (e) {
    if (e instanceof TsibleError && e.code === 'VAULT') return { failed: true, msg: e.message };
    // Ansible's text, plus where it happened (Ansible does not say)
    const pos = e as { templatePath?: string; templateLine?: number };
    const where = pos.templatePath ? ` (in template ${pos.templatePath}${pos.templateLine ? `, line ${pos.templateLine}` : ''})` : '';
    return { failed: true, msg: (e as Error).message + where };
  } finally {
    if (decrypted) fs.rmSync(path.dirname(decrypted), { recursive: true, force: true });
  }
  // the renderer may already apply newline_sequence; normalising again is idempotent
  const nl = args.newline_sequence as string;
  if (nl !== '\n') text = text.replace(/\r\n|\r|\n/g, nl);
  let content: Buffer;
  try {
    content = encode(text, args.output_encoding as string);
  } catch (e) {
    if (e instanceof EncodeError) return { failed: true, msg: `Unexpected failure during module execution: ${e.message}`, stdout: '' };
    throw e;
  }
  const copyArgs = { ...args, directory_mode: null, local_follow: true, remote_src: false, checksum: null, content: null };
  const r = await copyOneFile(ctx, {
    content, sourceRel: path.basename(found), dest: args.dest as string, fromContent: false, args: copyArgs,
    sourceLabel: found, sourceMode: fs.statSync(found).mode,
  });
  if (r === null) return { changed: false, dest: args.dest, src: found };
  if (r.path !== undefined && r.dest === undefined) r.dest = r.path;
  return r;
}

export const templateModule: ModuleDef = {
  name: 'template',
  spec: templateSpec,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runTemplate(args, ctx), (r) => addPathInfo(ctx.conn, r)),
};
