// The csvfile lookup: the column `col` of the row whose first field is the search key, read
// with Python csv's excel dialect (quoted fields, doubled quotes, CR/LF line ends).
import * as fs from 'fs';
import { LookupError, TemplateError } from '../../errors';
import { parseKv } from '../../playbook/kv';
import type { LookupFn } from '../plugin-types';
import { pyStr } from '../pyvalues';
import { decodeText, findLookupFile } from './lookup-files';

const OPTIONS = ['_terms', 'col', 'default', 'delimiter', 'file', 'encoding'];

/** Python's csv.reader state machine (excel dialect, strict off) with the given delimiter. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  type State = 'startRecord' | 'startField' | 'inField' | 'inQuoted' | 'quoteInQuoted';
  let state: State = 'startRecord';
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRecord = () => {
    rows.push(row);
    row = [];
  };
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text[i]! : '\n';
    const eol = c === '\n' || c === '\r';
    if (eol && c === '\r' && text[i + 1] === '\n') i++;
    switch (state) {
      case 'startRecord':
        if (eol) {
          if (i < text.length) rows.push([]);
          continue;
        }
      // falls through: the first character starts a field
      case 'startField':
        if (eol) {
          endField();
          endRecord();
          state = 'startRecord';
        } else if (c === '"') state = 'inQuoted';
        else if (c === delimiter) endField(), (state = 'startField');
        else (field += c), (state = 'inField');
        break;
      case 'inField':
        if (eol) {
          endField();
          endRecord();
          state = 'startRecord';
        } else if (c === delimiter) endField(), (state = 'startField');
        else field += c;
        break;
      case 'inQuoted':
        if (c === '"') state = 'quoteInQuoted';
        else if (i >= text.length) {
          endField();
          endRecord();
          state = 'startRecord';
        } else field += eol && c === '\r' && text[i] === '\n' ? '\r\n' : c;
        break;
      case 'quoteInQuoted':
        if (c === '"') (field += '"'), (state = 'inQuoted');
        else if (c === delimiter) endField(), (state = 'startField');
        else if (eol) {
          endField();
          endRecord();
          state = 'startRecord';
        } else (field += c), (state = 'inField');
        break;
    }
  }
  return rows;
}

export const csvfile: LookupFn = (ctx, terms, kwargs) => {
  const base: Record<string, unknown> = { col: '1', default: null, delimiter: 'TAB', file: 'ansible.csv', encoding: 'utf-8', ...kwargs };
  const out: unknown[] = [];
  for (const t of terms) {
    const kv = parseKv(pyStr(t));
    if (kv._raw_params === undefined) throw new TemplateError('Search key is required but was not found');
    const opts = { ...base };
    for (const [name, value] of Object.entries(kv)) {
      if (name === '_raw_params') continue;
      if (!OPTIONS.includes(name)) throw new TemplateError(`${name} is not a valid option`);
      opts[name] = value;
    }
    const delimiter = pyStr(opts.delimiter) === 'TAB' ? '\t' : pyStr(opts.delimiter);
    const file = findLookupFile(ctx, 'files', pyStr(opts.file));
    if (!file) throw new TemplateError("csvfile: [Errno 2] No such file or directory: b'None'");
    const value = readCsv(file, kv._raw_params, delimiter, pyStr(opts.encoding), opts.default, opts.col);
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
};

function readCsv(file: string, key: string, delimiter: string, encoding: string, dflt: unknown, col: unknown): unknown {
  if (delimiter.length !== 1) throw new TemplateError(`csvfile: "delimiter" must be a 1-character string`);
  let text: string;
  try {
    text = decodeText(fs.readFileSync(file), encoding);
  } catch (e) {
    throw new TemplateError(`csvfile: ${e instanceof LookupError ? e.message : (e as Error).message}`);
  }
  const index = Number.parseInt(pyStr(col), 10);
  if (Number.isNaN(index)) throw new TemplateError(`csvfile: invalid literal for int() with base 10: '${pyStr(col)}'`);
  for (const row of parseCsv(text, delimiter)) {
    if (row.length && row[0] === key) {
      const v = row[index < 0 ? row.length + index : index];
      if (v === undefined) throw new TemplateError('csvfile: list index out of range');
      return v;
    }
  }
  return dflt;
}
