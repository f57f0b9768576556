// Jinja2's lexer: splits template source into data and expression tokens, applying
// whitespace control (trim_blocks, lstrip_blocks, `-`/`+` markers), raw blocks and comments.
import { TemplateError } from '../errors';

export type TokenType =
  | 'data'
  | 'var_begin'
  | 'var_end'
  | 'block_begin'
  | 'block_end'
  | 'name'
  | 'string'
  | 'integer'
  | 'float'
  | 'operator'
  | 'eof';

export interface Token {
  type: TokenType;
  value: string;
  line: number;
  /** Parsed value of string/integer/float tokens. */
  literal?: string | number;
}

export interface LexerOptions {
  variableStart: string;
  variableEnd: string;
  blockStart: string;
  blockEnd: string;
  commentStart: string;
  commentEnd: string;
  trimBlocks: boolean;
  lstripBlocks: boolean;
  keepTrailingNewline: boolean;
  newlineSequence: string;
  /** Ansible's escape_backslashes: string literals inside {{ }} keep their backslashes (inline templates). */
  escapeBackslashes?: boolean;
  /** Jinja's line_statement_prefix (`#jinja2: line_statement_prefix: "%"`): such a line is a block tag. */
  lineStatementPrefix?: string | null;
}

/** Jinja's line statements: `PREFIX stmt` on a line of its own (after blanks) is `{% stmt %}`, its newline included. */
function expandLineStatements(source: string, opts: LexerOptions): string {
  const prefix = opts.lineStatementPrefix;
  if (!prefix) return source;
  const esc = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return source.replace(new RegExp(`^[ \\t\\v]*${esc}(.*?)[ \\t]*(?:\\n|$)`, 'gm'), (_m, body: string) => `${opts.blockStart} ${body.trim()} ${opts.blockEnd}`);
}

export const defaultLexerOptions: LexerOptions = {
  variableStart: '{{',
  variableEnd: '}}',
  blockStart: '{%',
  blockEnd: '%}',
  commentStart: '{#',
  commentEnd: '#}',
  trimBlocks: true,
  lstripBlocks: false,
  keepTrailingNewline: false,
  newlineSequence: '\n',
};

const OPERATORS = ['**', '//', '==', '!=', '>=', '<=', '+', '-', '*', '/', '%', '~', '<', '>', '=', '(', ')', '[', ']', '{', '}', ',', '.', ':', '|', ';'];
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Line numbers by position: newline offsets found once, then a binary search per token. */
class LineIndex {
  private readonly newlines: number[] = [];
  constructor(src: string) {
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) this.newlines.push(i);
  }

  /** 1-based line of `pos`: one more than the number of newlines before it. */
  at(pos: number): number {
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.newlines[mid] as number) < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }
}

/** Decodes Python string escapes the way Jinja2 does for string literals. */
export function decodeEscapes(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[++i] as string;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
    if (next in simple) out += simple[next];
    else if (next === 'x' || next === 'u' || next === 'U') {
      const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new TemplateError(`invalid \\${next} escape in string literal`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else if (/[0-7]/.test(next)) {
      let oct = next;
      while (oct.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) oct += body[++i];
      out += String.fromCharCode(parseInt(oct, 8));
    } else out += '\\' + next;
  }
  return out;
}

interface Opener {
  kind: 'var' | 'block' | 'comment';
  pos: number;
  len: number;
}

export function tokenize(raw: string, opts: LexerOptions = defaultLexerOptions): Token[] {
  const source = expandLineStatements(raw, opts);
  let src = source;
  if (!opts.keepTrailingNewline) src = src.replace(/(\r\n|\r|\n)$/, '');
  const tokens: Token[] = [];
  const lines = new LineIndex(src);
  let pos = 0;
  let stripNextLeading = false; // a `-` on the previous closing delimiter
  let trimNextNewline = false; // trim_blocks after a block/comment tag

  const pushData = (text: string, at: number): void => {
    let t = text;
    if (stripNextLeading) t = t.replace(/^\s+/, '');
    else if (trimNextNewline) t = t.replace(/^(\r\n|\r|\n)/, '');
    stripNextLeading = false;
    trimNextNewline = false;
    t = t.replace(/\r\n|\r|\n/g, opts.newlineSequence);
    if (t) tokens.push({ type: 'data', value: t, line: lines.at(at) });
  };

  const findOpener = (from: number): Opener | undefined => {
    let best: Opener | undefined;
    const kinds: [Opener['kind'], string][] = [
      ['var', opts.variableStart],
      ['block', opts.blockStart],
      ['comment', opts.commentStart],
    ];
    for (const [kind, delim] of kinds) {
      const at = src.indexOf(delim, from);
      if (at < 0) continue;
      if (!best || at < best.pos || (at === best.pos && delim.length > best.len)) best = { kind, pos: at, len: delim.length };
    }
    return best;
  };

  /** Data before a tag, with `-` / lstrip_blocks applied. */
  const dataBefore = (from: number, op: Opener): void => {
    let text = src.slice(from, op.pos);
    const marker = src[op.pos + op.len];
    if (marker === '-') text = text.replace(/\s+$/, '');
    else if (opts.lstripBlocks && op.kind !== 'var' && marker !== '+') {
      // only strip when the tag is the first thing on its line
      const lineStart = text.lastIndexOf('\n') + 1;
      const atLineStart = lineStart > 0 || isLineStart(src, from);
      if (atLineStart && /^[ \t]*$/.test(text.slice(lineStart))) text = text.slice(0, lineStart);
    }
    pushData(text, from);
  };

  while (pos < src.length) {
    const op = findOpener(pos);
    if (!op) {
      pushData(src.slice(pos), pos);
      break;
    }
    dataBefore(pos, op);
    let p = op.pos + op.len;
    if (src[p] === '-' || src[p] === '+') p++;
    if (op.kind === 'comment') {
      const end = src.indexOf(opts.commentEnd, p);
      if (end < 0) throw new TemplateError('Missing end of comment tag');
      const strip = src[end - 1] === '-' && end - 1 >= p;
      pos = end + opts.commentEnd.length;
      stripNextLeading = strip;
      trimNextNewline = !strip && opts.trimBlocks;
      continue;
    }
    if (op.kind === 'block') {
      const raw = new RegExp(`^\\s*raw\\s*(-?)${escapeRe(opts.blockEnd)}`).exec(src.slice(p));
      if (raw) {
        pos = p + raw[0].length;
        const endRe = new RegExp(`${escapeRe(opts.blockStart)}(-|\\+)?\\s*endraw\\s*(-?)${escapeRe(opts.blockEnd)}`, 'g');
        endRe.lastIndex = pos;
        const m = endRe.exec(src);
        if (!m) throw new TemplateError("Missing end of raw directive");
        let body = src.slice(pos, m.index);
        if (raw[1] === '-') body = body.replace(/^\s+/, '');
        else if (opts.trimBlocks) body = body.replace(/^(\r\n|\r|\n)/, '');
        if (m[1] === '-') body = body.replace(/\s+$/, '');
        else if (opts.lstripBlocks && m[1] !== '+') body = body.replace(/(^|\n)[ \t]*$/, '$1');
        stripNextLeading = false;
        trimNextNewline = false;
        if (body) tokens.push({ type: 'data', value: body.replace(/\r\n|\r|\n/g, opts.newlineSequence), line: lines.at(pos) });
        pos = m.index + m[0].length;
        stripNextLeading = m[2] === '-';
        trimNextNewline = !stripNextLeading && opts.trimBlocks;
        continue;
      }
    }
    const isVar = op.kind === 'var';
    tokens.push({ type: isVar ? 'var_begin' : 'block_begin', value: '', line: lines.at(op.pos) });
    const rawStrings = isVar && opts.escapeBackslashes === true;
    pos = lexExpression(src, lines, p, isVar ? opts.variableEnd : opts.blockEnd, tokens, rawStrings, (strip) => {
      stripNextLeading = strip;
      trimNextNewline = !strip && !isVar && opts.trimBlocks;
    });
    tokens.push({ type: isVar ? 'var_end' : 'block_end', value: '', line: lines.at(pos) });
  }
  tokens.push({ type: 'eof', value: '', line: lines.at(src.length) });
  return tokens;
}

function isLineStart(src: string, from: number): boolean {
  return from === 0 || src[from - 1] === '\n';
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Tokenizes an expression up to the closing delimiter; returns the position after it. */
function lexExpression(src: string, lines: LineIndex, start: number, endDelim: string, tokens: Token[], rawStrings: boolean, onEnd: (strip: boolean) => void): number {
  let pos = start;
  const stack: string[] = [];
  // Jinja reports positions in the backslash-doubled source Ansible hands it
  let shift = 0;
  const line = () => lines.at(pos);
  while (pos < src.length) {
    const ch = src[pos] as string;
    if (stack.length === 0) {
      if (src.startsWith('-' + endDelim, pos)) {
        onEnd(true);
        return pos + 1 + endDelim.length;
      }
      if (src.startsWith(endDelim, pos)) {
        onEnd(false);
        return pos + endDelim.length;
      }
    }
    if (/\s/.test(ch)) {
      pos++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let i = pos + 1;
      // with Ansible's backslash doubling a backslash can no longer escape the quote
      while (i < src.length && src[i] !== ch) i += src[i] === '\\' && !rawStrings ? 2 : 1;
      if (i >= src.length) throw new TemplateError(`unexpected char ${pyQuote(ch)} at ${pos + shift}`);
      const body = src.slice(pos + 1, i);
      if (rawStrings) shift += body.split('\\').length - 1;
      tokens.push({ type: 'string', value: src.slice(pos, i + 1), line: line(), literal: rawStrings ? body : decodeEscapes(body) });
      pos = i + 1;
      continue;
    }
    const num = /^(\d[\d_]*)(\.\d[\d_]*)?([eE][+-]?\d[\d_]*)?/.exec(src.slice(pos, pos + 64));
    if (num && num[0]) {
      const text = num[0].replace(/_/g, '');
      const isFloat = num[2] !== undefined || num[3] !== undefined;
      tokens.push({ type: isFloat ? 'float' : 'integer', value: num[0], line: line(), literal: Number(text) });
      pos += num[0].length;
      continue;
    }
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(src.slice(pos, pos + 256));
    if (name) {
      tokens.push({ type: 'name', value: name[0], line: line() });
      pos += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, pos));
    if (!op) throw new TemplateError(`unexpected char ${pyQuote(ch)} at ${pos + shift}`);
    if (op === '(' || op === '[' || op === '{') stack.push(op);
    else if (op in CLOSERS) {
      const open = stack.pop();
      if (open !== CLOSERS[op]) throw new TemplateError(`unexpected '${op}'`);
    }
    tokens.push({ type: 'operator', value: op, line: line() });
    pos += op.length;
  }
  throw new TemplateError(`unexpected end of template, expected 'end of ${endDelim === '}}' ? 'print statement' : 'statement block'}'.`);
}

function pyQuote(ch: string): string {
  return ch === "'" ? `"'"` : `'${ch === '\\' ? '\\\\' : ch}'`;
}
