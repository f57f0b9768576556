// Template-file helpers: the `#jinja2:` override header, the ansible_managed string and the
// template_* variables of a template file.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TemplateError } from '../errors';
import type { LexerOptions } from './lexer';
import { literalEval } from './literal';
import { pyDatetime, strftime } from './pydatetime';

const OVERRIDE_KEYS: Record<string, keyof LexerOptions> = {
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  keep_trailing_newline: 'keepTrailingNewline',
  newline_sequence: 'newlineSequence',
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  block_start_string: 'blockStart',
  block_end_string: 'blockEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
  line_statement_prefix: 'lineStatementPrefix',
};

/** Applies `#jinja2: trim_blocks: False, lstrip_blocks: True` to lexer options. */
export function jinjaOverrides(line: string, base: LexerOptions): LexerOptions {
  const out: LexerOptions = { ...base };
  for (const pair of line.split(',')) {
    const idx = pair.indexOf(':');
    if (idx < 0) throw new TemplateError(`failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`);
    const key = pair.slice(0, idx).trim();
    const parsed = literalEval(pair.slice(idx + 1).trim());
    if (!parsed.ok) throw new TemplateError(`failed to parse jinja2 override '${pair.trim()}'.`);
    const field = OVERRIDE_KEYS[key];
    if (field) (out as unknown as Record<string, unknown>)[field] = parsed.value;
  }
  return out;
}

/** ansible_managed: str.format with host/uid/file, then strftime with the template's mtime. */
export function managedString(template: string, fields: { host: string; uid: string; file: string }, mtime: Date): string {
  const formatted = template.replace(/\{(host|uid|file)\}/g, (_a, k: 'host' | 'uid' | 'file') => fields[k]);
  return strftime(formatted, mtime);
}

/** template_host, template_path, template_uid... and ansible_managed for one template file. */
export function templateFileVars(absPath: string, dest: string | undefined, managed: string | undefined): Record<string, unknown> {
  let uid = '';
  let mtime = new Date();
  try {
    const st = fs.statSync(absPath);
    mtime = st.mtime;
    uid = String(st.uid);
    const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[2] === String(st.uid));
    if (line) uid = line.split(':')[0] as string;
  } catch {
    // keep numeric or empty uid
  }
  const host = os.hostname();
  const vars: Record<string, unknown> = {
    template_host: host,
    template_path: absPath,
    template_fullpath: path.resolve(absPath),
    template_destpath: dest ?? null,
    template_uid: uid,
    template_run_date: pyDatetime(new Date()),
    template_mtime: pyDatetime(mtime),
  };
  vars.ansible_managed = managedString(managed ?? 'Ansible managed', { host, uid, file: absPath }, mtime);
  return vars;
}
