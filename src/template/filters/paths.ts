// Path filters with Python os.path semantics (basename, dirname, splitext, join...)
// and a small glob used by fileglob (filter and lookup).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FilterFn } from '../plugin-types';
import { makeTuple, pyStr } from '../pyvalues';
import { iterate, opt, pyTypeName, requireDefined } from './helpers';
import { PyTypeError } from '../pyops';

const text = (v: unknown) => pyStr(requireDefined(v));

export function pyBasename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function pyDirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1);
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head;
}

export function pySplitext(p: string): [string, string] {
  const base = pyBasename(p);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ''];
  const cut = p.length - base.length + dot;
  return [p.slice(0, cut), p.slice(cut)];
}

export function pyJoin(parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (part.startsWith('/')) out = part;
    else if (out === '' || out.endsWith('/')) out += part;
    else out += '/' + part;
  }
  return out;
}

function expandUser(p: string): string {
  return p === '~' || p.startsWith('~/') ? os.homedir() + p.slice(1) : p;
}

function expandVars(p: string): string {
  return p.replace(/\$(\w+)|\$\{([^}]+)\}/g, (m, a: string | undefined, b: string | undefined) => process.env[a ?? b ?? ''] ?? m);
}

export function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function globSegmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let cls = seg.slice(i + 1, end);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += '[' + cls.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$', 's');
}

/** Python's glob.glob (no hidden-file matches for wildcards, sorted by directory order). */
export function glob(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let found: string[] = [absolute ? '/' : ''];
  for (const seg of segments.slice(absolute ? 1 : 0)) {
    const next: string[] = [];
    for (const base of found) {
      const join = (name: string) => (base === '' ? name : base.endsWith('/') ? base + name : base + '/' + name);
      if (!/[*?[]/.test(seg)) {
        if (fs.existsSync(join(seg) || '.')) next.push(join(seg));
        continue;
      }
      let names: string[] = [];
      try {
        names = fs.readdirSync(base || '.');
      } catch {
        continue;
      }
      const re = globSegmentRegex(seg);
      for (const n of names) if ((!n.startsWith('.') || seg.startsWith('.')) && re.test(n)) next.push(join(n));
    }
    found = next;
  }
  return found.filter((f) => f !== '' && f !== '/');
}

export const pathFilters = {
  basename: (_ctx, v) => pyBasename(text(v)),
  dirname: (_ctx, v) => pyDirname(text(v)),
  expanduser: (_ctx, v) => expandUser(text(v)),
  expandvars: (_ctx, v) => expandVars(text(v)),
  realpath: (_ctx, v) => realpath(text(v)),
  relpath: (_ctx, v, args, kwargs) => {
    const start = pyStr(opt(args, kwargs, 0, 'start', process.cwd()));
    return path.relative(path.resolve(start), path.resolve(text(v))) || '.';
  },
  splitext: (_ctx, v) => makeTuple(pySplitext(text(v))),
  path_join: (_ctx, v) => {
    if (typeof v === 'string') return v;
    // a string or a sequence (list, tuple); anything else is Ansible's type error
    if (!Array.isArray(v)) throw new PyTypeError(`|path_join expects string or sequence, got <class '${pyTypeName(requireDefined(v))}'> instead.`);
    return pyJoin(v.map((x) => pyStr(x)));
  },
  fileglob: (_ctx, v) => glob(text(v)).filter((f) => fs.statSync(f).isFile()),
  win_basename: (_ctx, v) => text(v).split(/[\\/]/).pop() ?? '',
  win_dirname: (_ctx, v) => {
    const s = text(v);
    const i = Math.max(s.lastIndexOf('\\'), s.lastIndexOf('/'));
    return i < 0 ? '' : s.slice(0, i).replace(/[\\/]+$/, '') || s.slice(0, i + 1);
  },
  win_splitdrive: (_ctx, v) => {
    const s = text(v);
    const m = /^([A-Za-z]:)(.*)$/s.exec(s);
    return makeTuple(m ? [m[1], m[2]] : ['', s]);
  },
} satisfies Record<string, FilterFn>;
