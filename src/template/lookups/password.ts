// The password lookup: reads a stored password or generates one (Python's random with
// seed= for reproducibility), stores it with mode 0600, and optionally SHA-crypts it.
import * as fs from 'fs';
import * as path from 'path';
import { TemplateError } from '../../errors';
import type { LookupFn } from '../plugin-types';
import { pyStr } from '../pyvalues';
import { randomSource } from '../filters/py-random';
import { shaCrypt } from '../filters/sha-crypt';
import { parseKv } from './kv';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const CHAR_SETS: Record<string, string> = {
  ascii_letters: LOWER + UPPER,
  ascii_lowercase: LOWER,
  ascii_uppercase: UPPER,
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  whitespace: ' \t\n\r\x0b\x0c',
};
CHAR_SETS.printable = CHAR_SETS.digits! + CHAR_SETS.ascii_letters + CHAR_SETS.punctuation + CHAR_SETS.whitespace;

const VALID_PARAMS = ['length', 'encrypt', 'chars', 'ident', 'seed'];

function candidateChars(specs: string[]): string {
  return specs.map((s) => CHAR_SETS[s] ?? s).join('').replace(/["']/g, '');
}

function charSpecs(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => pyStr(x));
  const s = pyStr(v);
  const out: string[] = s.includes(',,') ? [','] : [];
  out.push(...s.replace(/,,/g, ',').split(',').filter((c) => c));
  return out;
}

export function randomPassword(length: number, chars: string, seed: unknown): string {
  const r = randomSource(seed ?? null);
  let out = '';
  for (let i = 0; i < length; i++) out += chars[r.randbelow(chars.length)];
  return out;
}

function parseContent(content: string): { password: string; salt?: string } {
  const idx = content.lastIndexOf(' salt=');
  if (idx < 0) return { password: content };
  return { password: content.slice(0, idx), salt: content.slice(idx + 6).split(' ident=')[0] };
}

const ENCRYPT: Record<string, 'sha256' | 'sha512'> = { sha256_crypt: 'sha256', sha512_crypt: 'sha512' };
const SALT_CHARS = LOWER + UPPER + '0123456789./';

export const password: LookupFn = (ctx, terms, kwargs) =>
  terms.map((term) => {
    const text = pyStr(term);
    const space = text.indexOf(' ');
    const relpath = space < 0 ? text : text.slice(0, space);
    const parsed = space < 0 ? { free: '', params: {} as Record<string, string> } : parseKv(text.slice(space + 1));
    if (parsed.free) throw new TemplateError('Unrecognized value after key=value parameters given to password lookup');
    const invalid = Object.keys(parsed.params).filter((k) => !VALID_PARAMS.includes(k));
    if (invalid.length) throw new TemplateError(`Unrecognized parameter(s) given to password lookup: ${invalid.join(', ')}`);
    const opt = (k: string, d: unknown) => (k in parsed.params ? parsed.params[k] : k in kwargs ? kwargs[k] : d);
    const length = Number(opt('length', 20));
    const chars = candidateChars(charSpecs(opt('chars', ['ascii_letters', 'digits', '.,:-_'])));
    const seed = opt('seed', null);
    const encrypt = opt('encrypt', null) as string | null;
    const file = path.resolve(ctx.lookups?.baseDir ?? process.cwd(), relpath);
    const isNull = file === '/dev/null';

    let content = !isNull && fs.existsSync(file) ? fs.readFileSync(file, 'utf8').replace(/\s+$/, '') : undefined;
    let changed = false;
    let { password: plain, salt } = content === undefined ? { password: '', salt: undefined as string | undefined } : parseContent(content);
    if (content === undefined) {
      plain = randomPassword(length, chars, seed);
      changed = true;
    }
    if (encrypt && !salt) {
      salt = randomPassword(16, SALT_CHARS, null);
      changed = true;
    }
    if (changed && !isNull) {
      content = encrypt && salt ? `${plain} salt=${salt}` : plain;
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, content + '\n', { mode: 0o600 });
      fs.chmodSync(file, 0o600);
    }
    if (!encrypt) return plain;
    const algorithm = ENCRYPT[encrypt];
    if (!algorithm) throw new TemplateError(`Unsupported encrypt type for password lookup: ${encrypt}`);
    return shaCrypt(algorithm, plain, salt ?? '');
  });
