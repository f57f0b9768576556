// ansible.builtin.find: one `find -printf` exec lists candidates with their stat; patterns,
// excludes, age, size, hidden and file_type are applied here; contains reads the candidates.
import * as path from 'path';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { shQuote } from '../../connection/quote';
import { catchFail, ModuleFail, pyRegex } from '../common';

export const findSpec = {
  age: { type: 'str' },
  age_stamp: { type: 'str', default: 'mtime', choices: ['atime', 'ctime', 'mtime'] },
  contains: { type: 'str' },
  depth: { type: 'int' },
  excludes: { type: 'list', aliases: ['exclude'], elements: 'str' },
  file_type: { type: 'str', default: 'file', choices: ['any', 'directory', 'file', 'link'] },
  follow: { type: 'bool', default: false },
  get_checksum: { type: 'bool', default: false },
  hidden: { type: 'bool', default: false },
  paths: { type: 'list', required: true, aliases: ['name', 'path'], elements: 'str' },
  patterns: { type: 'list', default: [], aliases: ['pattern'], elements: 'str' },
  read_whole_file: { type: 'bool', default: false },
  recurse: { type: 'bool', default: false },
  size: { type: 'str' },
  use_regex: { type: 'bool', default: false },
} as const;

/** fnmatch.fnmatch (case-sensitive on POSIX) as a RegExp. */
export function fnmatchRegex(pat: string): RegExp {
  let re = '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i] as string;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = pat.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let cls = pat.slice(i + 1, end);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function matches(name: string, pats: readonly string[], useRegex: boolean): boolean {
  return pats.some((p) => (useRegex ? new RegExp('^(?:' + pyRegex(p).source + ')').test(name) : fnmatchRegex(p).test(name)));
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const SIZES: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

function parseUnit(v: string, table: Record<string, number>, what: string): number {
  const m = /^(-?\d+)([a-zA-Z]?)$/.exec(v.trim());
  if (!m) throw new ModuleFail(`failed to process ${what} ${v}`);
  const unit = (m[2] || Object.keys(table)[0]) as string;
  const mult = table[unit.toLowerCase()];
  if (mult === undefined) throw new ModuleFail(`failed to process ${what} ${v}`);
  return Number(m[1]) * mult;
}

interface Entry {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  inode: number;
  dev: number;
  nlink: number;
  atime: number;
  mtime: number;
  ctime: number;
  owner: string;
  group: string;
  depth: number;
  path: string;
  checksum?: string;
}

function toStat(e: Entry): Record<string, unknown> {
  const m = e.mode;
  const st: Record<string, unknown> = {
    path: e.path, mode: '0' + (m & 0o7777).toString(8).padStart(3, '0'),
    isdir: e.type === 'd', ischr: e.type === 'c', isblk: e.type === 'b', isreg: e.type === 'f', isfifo: e.type === 'p',
    islnk: e.type === 'l', issock: e.type === 's', uid: e.uid, gid: e.gid, size: e.size, inode: e.inode, dev: e.dev,
    nlink: e.nlink, atime: e.atime, mtime: e.mtime, ctime: e.ctime, gr_name: e.group, pw_name: e.owner,
    wusr: !!(m & 0o200), rusr: !!(m & 0o400), xusr: !!(m & 0o100), wgrp: !!(m & 0o20), rgrp: !!(m & 0o40),
    xgrp: !!(m & 0o10), woth: !!(m & 0o2), roth: !!(m & 0o4), xoth: !!(m & 0o1), isuid: !!(m & 0o4000), isgid: !!(m & 0o2000),
  };
  if (e.checksum !== undefined) st.checksum = e.checksum;
  return st;
}

/** Reorders find(1) records the way os.walk yields them: a directory's files, then its subdirectories, recursively. */
function walkOrder(records: string[], root: string): string[] {
  const children = new Map<string, string[]>();
  const isDir = new Set<string>();
  for (const rec of records) {
    const m = /^(\S) (?:\S+ ){13}([\s\S]*)$/.exec(rec);
    if (!m) continue;
    const p = m[2] as string;
    if (m[1] === 'd') isDir.add(p);
    const parent = path.posix.dirname(p);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent)?.push(rec);
  }
  const out: string[] = [];
  const visit = (dir: string) => {
    const recs = children.get(dir) ?? [];
    const pathOf = (rec: string) => (/^(?:\S+ ){14}([\s\S]*)$/.exec(rec)?.[1] ?? '');
    const dirs = recs.filter((r) => isDir.has(pathOf(r)));
    out.push(...recs.filter((r) => !isDir.has(pathOf(r))), ...dirs);
    for (const d of dirs) visit(pathOf(d));
  };
  visit(root);
  return out;
}

async function runFind(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const paths = args.paths as string[];
  const patterns = args.patterns as string[];
  const excludes = (args.excludes as string[] | null) ?? [];
  const useRegex = args.use_regex as boolean;
  const fileType = args.file_type as string;
  const now = Date.now() / 1000;
  const age = args.age !== null ? parseUnit(args.age as string, UNITS, 'age') : null;
  const size = args.size !== null ? parseUnit(args.size as string, SIZES, 'size') : null;
  const contains = args.contains !== null ? pyRegex(args.contains as string) : null;
  const depthLimit = args.recurse ? (args.depth as number | null) : null;
  // Ansible's walk reads the directories at the depth limit too (their entries count as
  // examined) before it stops descending
  const maxDepth = args.recurse ? (depthLimit ? depthLimit + 1 : null) : 1;
  const files: Entry[] = [];
  const skipped: Record<string, string> = {};
  let examined = 0;
  for (const raw of paths) {
    const root = raw.replace(/\/+$/, '') || '/';
    const q = shQuote(root);
    const r = await ctx.conn.exec(
      `[ -d ${q} ] || { echo NOTDIR; exit 0; }; find ${args.follow ? '-L ' : ''}${q} -mindepth 1 ${maxDepth ? `-maxdepth ${maxDepth} ` : ''}` +
        `-printf '%y %m %U %G %s %i %D %n %A@ %T@ %C@ %u %g %d %p\\0'\n`,
    );
    if (r.stdout.startsWith('NOTDIR')) {
      skipped[raw] = `'${raw}' is not a directory`;
      ctx.warn(`Skipped '${raw}' path due to this access issue: '${raw}' is not a directory\n`);
      continue;
    }
    for (const rec of walkOrder(r.stdout.split('\0'), root)) {
      const m = /^(\S) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\S+) (\S+) (\S+) (\S+) (\S+) (\d+) ([\s\S]*)$/.exec(rec);
      if (!m) continue;
      const e: Entry = {
        type: m[1] as string, mode: parseInt(m[2] as string, 8), uid: +(m[3] as string), gid: +(m[4] as string),
        size: +(m[5] as string), inode: +(m[6] as string), dev: +(m[7] as string), nlink: +(m[8] as string),
        atime: +(m[9] as string), mtime: +(m[10] as string), ctime: +(m[11] as string), owner: m[12] as string,
        group: m[13] as string, depth: +(m[14] as string), path: m[15] as string,
      };
      examined++;
      if (depthLimit && e.depth > depthLimit) continue;
      const base = path.posix.basename(e.path);
      if (!args.hidden && base.startsWith('.')) continue;
      const typeOk = fileType === 'any' ? true : fileType === 'directory' ? e.type === 'd' : fileType === 'link' ? e.type === 'l' : e.type === 'f';
      if (!typeOk) continue;
      if (patterns.length && !matches(base, patterns, useRegex)) continue;
      if (excludes.length && matches(base, excludes, useRegex)) continue;
      if (age !== null) {
        const stamp = args.age_stamp === 'atime' ? e.atime : args.age_stamp === 'ctime' ? e.ctime : e.mtime;
        const delta = now - stamp;
        if (!(age >= 0 ? delta >= age : delta <= Math.abs(age))) continue;
      }
      if (size !== null && e.type === 'f' && !(size >= 0 ? e.size >= size : e.size <= Math.abs(size))) continue;
      files.push(e);
    }
  }
  let matched = files;
  if (contains || args.get_checksum) {
    const regular = files.filter((f) => f.type === 'f');
    const script = regular.map((f) => `printf 'C %s ' "$(sha1sum < ${shQuote(f.path)} | cut -d' ' -f1)"; base64 -w0 < ${shQuote(f.path)}; echo`).join('\n');
    const r = regular.length ? await ctx.conn.exec(script + '\n') : { stdout: '' };
    const rows = r.stdout.split('\n');
    regular.forEach((f, i) => {
      const m = /^C (\S+) (\S*)$/.exec(rows[i] ?? '');
      if (args.get_checksum && m) f.checksum = m[1];
      (f as Entry & { body?: string }).body = Buffer.from(m?.[2] ?? '', 'base64').toString('utf8');
    });
    if (contains) {
      matched = files.filter((f) => {
        if (f.type !== 'f') return fileType !== 'file' ? false : false;
        const body = (f as Entry & { body?: string }).body ?? '';
        if (args.read_whole_file) return contains.test(body);
        const anchored = new RegExp('^(?:' + contains.source + ')', contains.flags);
        return body.split(/(?<=\n)/).some((l) => anchored.test(l));
      });
    }
  }
  return {
    changed: false,
    files: matched.map(toStat),
    matched: matched.length,
    examined,
    msg: Object.keys(skipped).length ? 'Not all paths examined, check warnings for details' : 'All paths examined',
    skipped_paths: skipped,
  };
}

export const findModule: ModuleDef = {
  name: 'find',
  spec: findSpec,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runFind(args, ctx)),
};
