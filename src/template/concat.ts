// How Ansible 2.14 joins the pieces a template yields: one piece keeps its type only through
// str() + literal_eval (lists, dicts, bools); several pieces are joined as text.
import { literalEval } from './literal';
import { isUndefined, pyStr } from './pyvalues';
import { raiseUndefined } from './pyops';

/** Output of a string-type filter (to_json, to_yaml...): never turned back into data. */
export class NativeText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Ansible's STRING_TYPE_FILTERS default (matched on the name as written, so FQCNs do not count). */
export const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

function toText(v: unknown): string {
  if (v instanceof NativeText) return v.text;
  if (isUndefined(v) && !v.lenient) raiseUndefined(v);
  return pyStr(v);
}

/** ansible_concat: plain text (convert_data=False, template files). */
export function textConcat(pieces: unknown[]): string {
  return pieces.map(toText).join('');
}

/** ansible_eval_concat: text, turned back into data when it looks like a list, dict or bool. */
export function evalConcat(pieces: unknown[]): unknown {
  if (pieces.length === 0) return '';
  if (pieces.length === 1 && pieces[0] instanceof NativeText) return pieces[0].text;
  const out = pieces.length === 1 ? toText(pieces[0]) : textConcat(pieces);
  if (out.startsWith('{') || out.startsWith('[') || out === 'True' || out === 'False') {
    const parsed = literalEval(out);
    if (parsed.ok) return parsed.value;
  }
  return out;
}

/** Number of newlines at the end of a string (Ansible restores them after rendering). */
export function trailingNewlines(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\n'; i--) n++;
  return n;
}
