// -e/--extra-vars values as Ansible's load_extra_vars reads them: "@file" (YAML/JSON),
// inline YAML/JSON when it starts with "{" or "[", otherwise key=value pairs (parse_kv).
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { TsibleError } from '../errors';

/** Splits on whitespace, keeping quoted strings and {{ }} / {% %} / {# #} blocks whole. */
export function splitArgs(text: string): string[] {
  const tokens: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let jinjaDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const two = text.slice(i, i + 2);
    if (quote) {
      cur += ch;
      if (ch === '\\' && i + 1 < text.length) {
        cur += text[++i];
      } else if (ch === quote) quote = undefined;
      continue;
    }
    if (two === '{{' || two === '{%' || two === '{#') {
      jinjaDepth++;
      cur += two;
      i++;
      continue;
    }
    if (jinjaDepth > 0 && (two === '}}' || two === '%}' || two === '#}')) {
      jinjaDepth--;
      cur += two;
      i++;
      continue;
    }
    if (jinjaDepth === 0 && /\s/.test(ch)) {
      if (cur !== '') tokens.push(cur);
      cur = '';
      continue;
    }
    if ((ch === '"' || ch === "'") && jinjaDepth === 0) quote = ch;
    cur += ch;
  }
  if (cur !== '') tokens.push(cur);
  return tokens;
}

function unquote(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] && s[s.length - 2] !== '\\') return s.slice(1, -1);
  return s;
}

/** Python "unicode_escape" of the sequences Ansible decodes in k=v values. */
function decodeEscapes(s: string): string {
  const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  return s.replace(/\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|N\{[^}]+\}|[\\'"abfnrtv])/g, (whole, seq: string) => {
    if (seq.length === 1) return simple[seq] ?? whole;
    if (seq[0] === 'N') return whole;
    return String.fromCodePoint(Number.parseInt(seq.slice(1), 16));
  });
}

/** Ansible's parse_kv: "a=1 b='x y'" → {a: '1', b: 'x y'}; words without "=" become _raw_params. */
export function parseKv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const raw: string[] = [];
  for (const token of splitArgs(text)) {
    const eq = findUnquotedEquals(token);
    if (eq < 0) {
      raw.push(token);
      continue;
    }
    const key = token.slice(0, eq).trim();
    out[key] = decodeEscapes(unquote(token.slice(eq + 1).trim()));
  }
  if (raw.length > 0) out._raw_params = raw.join(' ');
  return out;
}

function findUnquotedEquals(token: string): number {
  let quote: string | undefined;
  for (let i = 0; i < token.length; i++) {
    const ch = token[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '=' && token[i - 1] !== '\\') return i;
  }
  return -1;
}

function asDict(data: unknown, source: string): Record<string, unknown> {
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new TsibleError('BAD_OPTION', `Invalid extra vars data supplied. '${source}' could not be made into a dictionary`, undefined, 1);
  }
  return data as Record<string, unknown>;
}

/** One -e value → a dict of variables (relative @files from cwd). */
export function loadExtraVars(value: string, cwd: string): Record<string, unknown> {
  if (value.startsWith('@')) {
    const file = path.resolve(cwd, value.slice(1));
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new TsibleError(
        'MISSING_FILE',
        `Unable to retrieve file contents\nCould not find or access '${file}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`,
      );
    }
    if (text.startsWith('$ANSIBLE_VAULT')) throw new TsibleError('BAD_OPTION', `vault not supported: ${file} is vault-encrypted`, undefined, 1);
    return asDict(YAML.parse(text, { version: '1.1' }), value);
  }
  if (value.startsWith('{') || value.startsWith('[')) return asDict(YAML.parse(value, { version: '1.1' }), value);
  if (value.trim() === '') return {};
  return parseKv(value);
}
