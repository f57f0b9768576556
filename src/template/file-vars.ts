// Template-file helpers: the `#jinja2:` override header and the ansible_managed string.
import { TemplateError } from '../errors';
import type { LexerOptions } from './lexer';
import { literalEval } from './literal';
import { strftime } from './pydatetime';

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
