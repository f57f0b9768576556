// Python `re` patterns and replacement templates on JavaScript RegExp: named groups,
// (?P=name), \A \Z, inline flags, Python's `$` (end or before a final newline).
import { ModuleFail } from './fail';

export interface PyRegexOptions {
  multiline?: boolean;
  global?: boolean;
}

/** Translates a Python pattern to a JS RegExp (unicode mode off, like Python's bytes patterns). */
export function pyRegex(pattern: string, opts: PyRegexOptions = {}): RegExp {
  let flags = opts.global ? 'g' : '';
  let multiline = !!opts.multiline;
  let dotall = false;
  let src = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    const f = inline[1] as string;
    if (f.includes('i')) flags += 'i';
    if (f.includes('m')) multiline = true;
    if (f.includes('s')) dotall = true;
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      i++;
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])';
      else out += '\\' + n;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += '\\' + src[++i];
      continue;
    }
    if (src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    const back = /^\(\?P=(\w+)\)/.exec(src.slice(i));
    if (back) {
      out += `\\k<${back[1]}>`;
      i += back[0].length - 1;
      continue;
    }
    if (c === '$' && !multiline) {
      out += '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    out += c;
  }
  if (multiline) flags += 'm';
  if (dotall) flags += 's';
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new ModuleFail(`Invalid regular expression: ${pattern}: ${(e as Error).message}`);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Python's match.expand(template): \1, \g<1>, \g<name>, and character escapes. */
export function pyExpand(template: string, m: RegExpExecArray | RegExpMatchArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = template[i + 1] ?? '';
    const g = /^g<(\w+)>/.exec(template.slice(i + 1));
    if (g) {
      const key = g[1] as string;
      const v = /^\d+$/.test(key) ? m[Number(key)] : m.groups?.[key];
      if (v === undefined && !(/^\d+$/.test(key) && Number(key) < m.length) && !(m.groups && key in m.groups)) {
        throw new ModuleFail(`invalid group reference ${key}`);
      }
      out += v ?? '';
      i += g[0].length;
      continue;
    }
    const d = /^\d{1,2}/.exec(template.slice(i + 1));
    if (d) {
      const idx = Number(d[0]);
      if (idx >= m.length) throw new ModuleFail(`invalid group reference ${idx}`);
      out += m[idx] ?? '';
      i += d[0].length;
      continue;
    }
    if (n in ESCAPES) {
      out += ESCAPES[n];
      i++;
      continue;
    }
    out += '\\' + n;
    i++;
  }
  return out;
}

/** Python's re.sub with a template replacement (count 0 = all). */
export function pySub(re: RegExp, template: string, text: string): { text: string; count: number } {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let count = 0;
  const out = text.replace(g, (...args: unknown[]) => {
    count++;
    const hasGroups = typeof args[args.length - 1] === 'object';
    const groups = hasGroups ? (args[args.length - 1] as Record<string, string>) : undefined;
    const nCaptures = args.length - (hasGroups ? 3 : 2);
    const m = args.slice(0, nCaptures) as string[] as unknown as RegExpMatchArray;
    if (groups) m.groups = groups;
    return pyExpand(template, m);
  });
  return { text: out, count };
}

/** Python's str.splitlines(keepends) as readlines() does on bytes: split after each '\n'. */
export function readLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      lines.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}
