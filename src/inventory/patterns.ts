// Host patterns: "web:&prod:!web3", "a,b", globs, ~regex, subscripts, with Ansible's
// evaluation order (unions, then intersections, then exclusions).
import { TsibleError } from '../errors';
import { parseAddress } from './address';
import { Host, InventoryGraph, LOCALHOST_NAMES } from './model';

export type PatternMismatch = 'warning' | 'error' | 'ignore';

export interface PatternContext {
  graph: InventoryGraph;
  warn: (msg: string) => void;
  /** HOST_PATTERN_MISMATCH: what an unmatched pattern does. */
  mismatch: PatternMismatch;
  implicitLocalhost: (name: string) => Host | undefined;
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

/** 'a,b' / 'a:b' (or a list of such) → single patterns. */
export function splitHostPattern(pattern: string | string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap(splitHostPattern);
  let parts: string[];
  if (pattern.includes(',')) {
    parts = pattern.split(',');
  } else {
    try {
      parseAddress(pattern, true);
      parts = [pattern];
    } catch {
      parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
    }
  }
  return parts.map((p) => p.trim()).filter((p) => p);
}

/** Regular patterns first, then &intersections, then !exclusions; 'all' when only modifiers. */
export function orderPatterns(patterns: string[]): string[] {
  const regular = patterns.filter((p) => p && p[0] !== '!' && p[0] !== '&');
  const intersect = patterns.filter((p) => p[0] === '&');
  const exclude = patterns.filter((p) => p[0] === '!');
  return [...(regular.length ? regular : ['all']), ...intersect, ...exclude];
}

export function evaluatePatterns(ctx: PatternContext, patterns: string[]): Host[] {
  let hosts: Host[] = [];
  for (const p of orderPatterns(patterns)) {
    const direct = ctx.graph.hosts.get(p);
    if (direct) {
      hosts.push(direct);
      continue;
    }
    const that = matchOnePattern(ctx, p);
    if (p[0] === '!') {
      const drop = new Set(that);
      hosts = hosts.filter((h) => !drop.has(h));
    } else if (p[0] === '&') {
      const keep = new Set(that);
      hosts = hosts.filter((h) => keep.has(h));
    } else {
      const existing = new Set(hosts.map((h) => h.name));
      hosts.push(...that.filter((h) => !existing.has(h.name)));
    }
  }
  return hosts;
}

function matchOnePattern(ctx: PatternContext, raw: string): Host[] {
  const pattern = raw[0] === '&' || raw[0] === '!' ? raw.slice(1) : raw;
  const { expr, subscript } = splitSubscript(ctx, pattern);
  const hosts = enumerateMatches(ctx, expr);
  if (!subscript || hosts.length === 0) return hosts;
  const [start, end] = subscript;
  if (end !== undefined && end !== 0) {
    const last = end === -1 ? hosts.length - 1 : end;
    return pySlice(hosts, start, last + 1);
  }
  const index = start < 0 ? hosts.length + start : start;
  const one = hosts[index];
  if (!one || index < 0) throw new TsibleError('BAD_PATTERN', `No hosts matched the subscripted pattern '${pattern}'`);
  return [one];
}

function pySlice<T>(items: T[], start: number, stop: number): T[] {
  const norm = (i: number): number => (i < 0 ? Math.max(0, items.length + i) : Math.min(i, items.length));
  return items.slice(norm(start), norm(stop));
}

function splitSubscript(ctx: PatternContext, pattern: string): { expr: string; subscript?: [number, number | undefined] } {
  if (pattern[0] === '~') return { expr: pattern };
  const m = SUBSCRIPT.exec(pattern);
  if (!m) return { expr: pattern };
  const [, expr, idx, start, sep, end] = m;
  if (idx !== undefined) return { expr: expr as string, subscript: [parseInt(idx, 10), undefined] };
  if (sep === '-') ctx.warn('Use [x:y] inclusive subscripts instead of [x-y] which has been removed');
  return { expr: expr as string, subscript: [parseInt(start as string, 10), end ? parseInt(end, 10) : -1] };
}

function enumerateMatches(ctx: PatternContext, pattern: string): Host[] {
  const { graph } = ctx;
  const results: Host[] = [];
  const matchingGroups = matchList([...graph.groups.keys()], pattern);
  for (const name of matchingGroups) results.push(...(graph.groups.get(name)?.allHosts() ?? []));
  if (!matchingGroups.length || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
    for (const name of matchList([...graph.hosts.keys()], pattern)) results.push(graph.hosts.get(name) as Host);
  }
  if (!results.length && LOCALHOST_NAMES.includes(pattern)) {
    const implicit = ctx.implicitLocalhost(pattern);
    if (implicit) results.push(implicit);
  }
  if (!results.length && !matchingGroups.length && pattern !== 'all') {
    const msg = `Could not match supplied host pattern, ignoring: ${pattern}`;
    if (ctx.mismatch === 'warning') ctx.warn(msg);
    else if (ctx.mismatch === 'error') throw new TsibleError('BAD_PATTERN', msg);
  }
  return results;
}

function matchList(items: string[], pattern: string): string[] {
  let re: RegExp;
  try {
    re = pattern[0] === '~' ? new RegExp('^(?:' + pythonRegex(pattern.slice(1)) + ')') : globToRegex(pattern);
  } catch {
    throw new TsibleError('BAD_PATTERN', `Invalid host list pattern: ${pattern}`);
  }
  return items.filter((item) => re.test(item));
}

/** The few Python-only regex spellings translated to JavaScript's. */
function pythonRegex(source: string): string {
  return source.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>').replace(/\\Z/g, '$');
}

/** fnmatch.translate: * ? [seq] [!seq], anchored, case-sensitive. */
export function globToRegex(glob: string): RegExp {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i++] as string;
    if (c === '*') {
      out += '.*';
      while (glob[i] === '*') i++;
    } else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) out += '\\[';
      else {
        let body = glob.slice(i, j).replace(/\\/g, '\\\\');
        i = j + 1;
        if (body[0] === '!') body = '^' + body.slice(1);
        else if (body[0] === '^') body = '\\' + body;
        out += `[${body}]`;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^(?:${out})$`, 's');
}
