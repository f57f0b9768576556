// The ini lookup: a value (or the values of keys matching a regex) from an INI or Java
// properties file, read with Python configparser's rules; options as keywords or inline k=v.
import * as fs from 'fs';
import { LookupError } from '../../errors';
import { ConfigParser, ConfigParserError } from '../../util/configparser';
import type { LookupFn } from '../plugin-types';
import { pyStr, truthy } from '../pyvalues';
import { compilePyRegex } from '../filters/pyregex';
import { decodeText, findLookupFile, pyException } from './lookup-files';

const OPTIONS = ['_terms', 'type', 'file', 'section', 're', 'encoding', 'default', 'case_sensitive', 'allow_no_value'] as const;
type IniOptions = Record<(typeof OPTIONS)[number], unknown>;

/** The inline form "key  opt=value opt=more words": words after an option extend its value. */
function parseInline(term: string): string[] {
  const params = new Map<string, string>();
  const order: string[] = [];
  let current = 'key';
  term.split(/\s+/).filter(Boolean).forEach((phrase, i) => {
    if (phrase.includes('=')) for (const k of OPTIONS) if (phrase.includes(`${k}=`)) current = k;
    if (i === 0 || !params.get(current)) {
      params.set(current, phrase);
      order.push(current);
    } else params.set(current, `${params.get(current)} ${phrase}`);
  });
  return order.map((k) => params.get(k) ?? '');
}

function applyInline(term: string, opts: IniOptions): string {
  let key: string | undefined;
  for (const param of parseInline(term)) {
    if (param.includes('=')) {
      const parts = param.split('=');
      if (parts.length !== 2) throw new LookupError(`Could not use '${param}' from '${parseInline(term).join(' ')}': too many values to unpack (expected 2)`);
      const [name, value] = parts as [string, string];
      if (!(OPTIONS as readonly string[]).includes(name)) throw new LookupError(`${name} is not a valid option.`);
      (opts as Record<string, unknown>)[name] = value;
    } else key ??= param;
  }
  if (key === undefined) throw new LookupError(`No key to lookup was provided as first term with in string inline options: ${term}`);
  return key;
}

export const ini: LookupFn = (ctx, terms, kwargs) => {
  const base: IniOptions = {
    _terms: terms, type: 'ini', file: 'ansible.ini', section: 'global', re: false, encoding: 'utf-8', default: '',
    case_sensitive: false, allow_no_value: false,
  };
  for (const [k, v] of Object.entries(kwargs)) (base as Record<string, unknown>)[k === 'allow_none' ? 'allow_no_value' : k] = v;
  base.re = truthy(base.re);
  base.allow_no_value = truthy(base.allow_no_value);
  const cp = new ConfigParser({ allowNoValue: Boolean(base.allow_no_value), caseSensitive: truthy(base.case_sensitive) });
  const out: unknown[] = [];
  for (const t of terms) {
    const opts = { ...base };
    let key = pyStr(t);
    if (key.includes('=') || key.trim().includes(' ')) key = applyInline(key, opts);
    const fileName = pyStr(opts.file);
    const file = findLookupFile(ctx, 'files', fileName);
    if (!file) throw pyException('ansible.errors.AnsibleParserError', "Invalid filename: 'None'");
    let text = decodeText(fs.readFileSync(file), pyStr(opts.encoding));
    if (opts.type === 'properties') {
      text = `[java_properties]\n${text}`;
      opts.section = 'java_properties';
    }
    try {
      cp.read(text);
    } catch (e) {
      if (e instanceof ConfigParserError && /already exists/.test(e.message)) throw new LookupError(`Duplicate option in '${fileName}': ${e.message}`);
      throw e;
    }
    const section = pyStr(opts.section);
    if (!cp.hasSection(section) && section !== 'DEFAULT') throw new LookupError(`No section '${section}' in ${fileName}`);
    if (truthy(opts.re)) {
      const re = compilePyRegex(key, {}, 'y');
      for (const [k, v] of cp.items(section)) if ((re.lastIndex = 0), re.test(k)) out.push(v);
      continue;
    }
    const value = cp.get(section, key);
    const found = value === undefined ? opts.default : value;
    if (found !== null && found !== undefined) out.push(found);
  }
  return out;
};
