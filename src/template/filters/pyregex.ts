// Translates Python `re` patterns and replacement templates to JavaScript RegExp,
// so regex filters and tests behave like Ansible's (re.sub/search/match/findall).
import { TemplateError } from '../../errors';

export interface PyRegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
}

/** Compiles a Python pattern; `sticky` anchors at the start like re.match. */
export function compilePyRegex(pattern: string, flags: PyRegexFlags = {}, extra = ''): RegExp {
  let src = pattern;
  let ignorecase = Boolean(flags.ignorecase);
  let multiline = Boolean(flags.multiline);
  let dotall = Boolean(flags.dotall);
  let verbose = false;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    const f = inline[1] ?? '';
    ignorecase ||= f.includes('i');
    multiline ||= f.includes('m');
    dotall ||= f.includes('s');
    verbose = f.includes('x');
    src = src.slice(inline[0].length);
  }
  const jsFlags = (ignorecase ? 'i' : '') + (multiline ? 'm' : '') + (dotall ? 's' : '') + extra;
  // Python's str patterns are Unicode-aware (\w matches é); JS needs the u flag and \p{...} classes
  // for that. Patterns the u flag rejects fall back to the ASCII translation.
  try {
    return new RegExp(translate(src, multiline, verbose, true), jsFlags + 'u');
  } catch {
    try {
      return new RegExp(translate(src, multiline, verbose, false), jsFlags);
    } catch (e) {
      throw new TemplateError(`Unable to compile regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
  }
}

const WORD = '\\p{L}\\p{N}_';
const UNICODE_ESCAPES: Record<string, string> = {
  w: `[${WORD}]`,
  W: `[^${WORD}]`,
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  b: `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`,
  B: `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`,
};
const SYNTAX_CHARS = '^$\\.*+?()[]{}|/-';

function translateEscape(n: string, inClass: boolean, unicode: boolean): string {
  if (!inClass && n === 'A') return '(?<![\\s\\S])';
  if (!inClass && n === 'Z') return '(?![\\s\\S])';
  if (!unicode) return '\\' + n;
  if (inClass && (n === 'w' || n === 'd')) return n === 'w' ? WORD : '\\p{Nd}';
  if (!inClass && UNICODE_ESCAPES[n]) return UNICODE_ESCAPES[n]!;
  // The u flag only accepts escapes of syntax characters; others are written literally.
  if (/[A-Za-z0-9]/.test(n) || (SYNTAX_CHARS.includes(n) && (n !== '-' || inClass))) return '\\' + n;
  return '\\u' + (n.codePointAt(0) ?? 0).toString(16).padStart(4, '0');
}

function translate(src: string, multiline: boolean, verbose: boolean, unicode: boolean): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      i++;
      out += translateEscape(n, inClass, unicode);
      continue;
    }
    if (!inClass && c === ']') {
      out += '\\]';
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[') {
        out += '\\[';
        continue;
      }
      out += c;
      continue;
    }
    if (verbose && /\s/.test(c)) continue;
    if (verbose && c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && src.startsWith('(?P=', i)) {
      const end = src.indexOf(')', i);
      out += `\\k<${src.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    if (c === '$' && !multiline) {
      out += '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    if (c === '{' && !/^\{\d*(,\d*)?\}/.test(src.slice(i))) {
      out += '\\{';
      continue;
    }
    if (c === '}') {
      const before = out.lastIndexOf('{');
      if (before < 0 || out[before - 1] === '\\') {
        out += '\\}';
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** Expands a Python re.sub replacement template (\1, \g<1>, \g<name>, \n escapes). */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = template[i + 1];
    if (n === undefined) throw new TemplateError('bad escape (end of pattern)');
    if (n === 'g') {
      const end = template.indexOf('>', i);
      const ref = template.slice(i + 3, end);
      out += groupValue(m, /^\d+$/.test(ref) ? Number(ref) : ref);
      i = end;
      continue;
    }
    if (/\d/.test(n)) {
      const two = /^\d{1,2}/.exec(template.slice(i + 1))![0];
      out += groupValue(m, Number(two));
      i += two.length;
      continue;
    }
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
    out += escapes[n] ?? '\\' + n;
    i++;
  }
  return out;
}

export function groupValue(m: RegExpExecArray, ref: number | string): string {
  if (typeof ref === 'number') {
    if (ref >= m.length) throw new TemplateError(`invalid group reference ${ref}`);
    return m[ref] ?? '';
  }
  const v = m.groups?.[ref];
  if (!m.groups || !(ref in m.groups)) throw new TemplateError(`unknown group name '${ref}'`);
  return v ?? '';
}

/** re.sub(pattern, repl, s, count). */
export function pySub(re: RegExp, replacement: string, s: string, count = 0): string {
  const g = new RegExp(re.source, re.flags.replace('g', '') + 'g');
  let out = '';
  let last = 0;
  let done = 0;
  let m: RegExpExecArray | null;
  while ((m = g.exec(s)) !== null) {
    if (count > 0 && done >= count) break;
    out += s.slice(last, m.index) + expandTemplate(replacement, m);
    last = m.index + m[0].length;
    done++;
    if (m[0] === '') {
      if (g.lastIndex < s.length) out += s[g.lastIndex];
      last = g.lastIndex + 1;
      g.lastIndex++;
      if (last > s.length) break;
    }
  }
  return out + s.slice(Math.min(last, s.length));
}

/** re.findall: whole matches, the group when there is one, tuples for several. */
export function pyFindall(re: RegExp, s: string): unknown[] {
  const g = new RegExp(re.source, re.flags.replace('g', '') + 'g');
  const out: unknown[] = [];
  let m: RegExpExecArray | null;
  while ((m = g.exec(s)) !== null) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(m.slice(1).map((x) => x ?? ''));
    if (m[0] === '') g.lastIndex++;
  }
  return out;
}

/** re.escape (Python 3.7+: only regex metacharacters and whitespace). */
export function pyReEscape(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => '\\' + c);
}
