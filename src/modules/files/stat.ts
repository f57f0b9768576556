// ansible.builtin.stat: one exec gathers stat(1), access checks, link target, checksum,
// mime type (file(1)) and lsattr output; the result dict has Ansible's keys.
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { shQuote } from '../../connection/quote';
import { catchFail, decodeCQuoted, readSizedRecord, realpathScript, sizedRecord, typeFromMode } from '../common';

export const statSpec = {
  checksum_algorithm: { type: 'str', default: 'sha1', choices: ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'], aliases: ['checksum', 'checksum_algo'] },
  follow: { type: 'bool', default: false },
  get_attributes: { type: 'bool', default: true, aliases: ['attr', 'attributes'] },
  get_checksum: { type: 'bool', default: true },
  get_md5: { type: 'bool', default: false },
  get_mime: { type: 'bool', default: true, aliases: ['mime', 'mime_type', 'mime-type'] },
  path: { type: 'path', required: true, aliases: ['dest', 'name'] },
} as const;

const ATTR_NAMES: Record<string, string> = {
  a: 'append', A: 'noatime', c: 'compressed', C: 'nocow', d: 'nodump', D: 'dirsync', e: 'extents', E: 'encrypted',
  h: 'blocksize', i: 'immutable', I: 'indexed', j: 'journalled', N: 'inline', s: 'zero', S: 'synchronous',
  t: 'notail', T: 'blockroot', u: 'undelete', X: 'compressedraw', Z: 'compresseddirty',
};

/**
 * One stat(1) says everything (names and link target included); then only what was asked:
 * the checksum tool, file(1) once for type and encoding, lsattr, readlink -f for a link.
 */
function statScript(p: string, args: Record<string, unknown>): string {
  const q = shQuote(p);
  const L = args.follow ? '-L ' : '';
  const tool = `${args.checksum_algorithm as string}sum`;
  return [
    `[ -e ${q} ] || [ -L ${q} ] || { echo ABSENT; exit 0; }`,
    `printf 'S '; LC_ALL=C QUOTING_STYLE=c stat ${L}-c '%f %u %g %s %.9X %.9Y %.9Z %i %d %h %o %b %t %T %U %G %N' -- ${q} || exit 1`,
    `_a=''; [ -r ${q} ] && _a=r; [ -w ${q} ] && _a="\${_a}w"; [ -x ${q} ] && _a="\${_a}x"; echo "A \${_a:--}"`,
    args.follow ? '' : `if [ -L ${q} ]; then ${realpathScript(p, '_ls')}; ${sizedRecord('LS', '_ls')}; fi`,
    args.get_checksum ? `if [ -f ${q} ] && [ -r ${q} ]${args.follow ? '' : ` && [ ! -L ${q} ]`}; then printf 'C '; ${tool} < ${q}; fi` : '',
    args.get_mime ? `if command -v file >/dev/null 2>&1; then printf 'M '; file -b --mime -- ${q}; fi` : '',
    args.get_attributes ? `if command -v lsattr >/dev/null 2>&1; then if _l=$(lsattr -vd -- ${q} 2>/dev/null); then echo "X $_l"; else echo "X -"; fi; fi` : '',
    'true',
  ].filter(Boolean).join('\n') + '\n';
}

const num = (s: string | undefined) => Number(s);

export function buildStat(p: string, bytes: Buffer, args: Record<string, unknown>): Record<string, unknown> {
  const out = bytes.toString('utf8');
  const line = (tag: string) => new RegExp(`^${tag} (.*)$`, 'm').exec(out)?.[1];
  const s = (line('S') ?? '').split(' ');
  const names = decodeCQuoted(s.slice(16).join(' '));
  const raw = parseInt(s[0] ?? '0', 16);
  const mode = raw & 0o7777;
  const type = raw & 0o170000;
  const [owner, group] = [s[14], s[15]];
  const access = line('A') ?? '';
  const st: Record<string, unknown> = {
    exists: true,
    path: p,
    mode: '0' + mode.toString(8).padStart(3, '0'),
    isdir: type === 0o040000,
    ischr: type === 0o020000,
    isblk: type === 0o060000,
    isreg: type === 0o100000,
    isfifo: type === 0o010000,
    islnk: typeFromMode(raw) === 'link',
    issock: type === 0o140000,
    uid: num(s[1]),
    gid: num(s[2]),
    size: num(s[3]),
    inode: num(s[7]),
    dev: num(s[8]),
    nlink: num(s[9]),
    atime: num(s[4]),
    mtime: num(s[5]),
    ctime: num(s[6]),
    wusr: !!(mode & 0o200), rusr: !!(mode & 0o400), xusr: !!(mode & 0o100),
    wgrp: !!(mode & 0o020), rgrp: !!(mode & 0o040), xgrp: !!(mode & 0o010),
    woth: !!(mode & 0o002), roth: !!(mode & 0o004), xoth: !!(mode & 0o001),
    isuid: !!(mode & 0o4000), isgid: !!(mode & 0o2000),
    blocks: num(s[11]),
    block_size: num(s[10]),
    device_type: parseInt(s[12] ?? '0', 16) * 256 + parseInt(s[13] ?? '0', 16),
    readable: access.includes('r'),
    writeable: access.includes('w'),
    executable: access.includes('x'),
    pw_name: owner,
    gr_name: group,
  };
  const source = readSizedRecord(bytes, 'LS');
  if (source !== undefined) {
    st.lnk_source = source;
    st.lnk_target = names?.target ?? '';
  }
  const c = line('C');
  if (c !== undefined) st.checksum = c.split(' ')[0];
  if (args.get_mime) {
    // file --mime: "type; charset=encoding"; anything else leaves Ansible's 'unknown'
    const m = /^(.*); charset=(.*)$/.exec(line('M') ?? '');
    st.mimetype = m ? (m[1] as string).trim() : 'unknown';
    st.charset = m ? (m[2] as string).trim() : 'unknown';
  }
  const x = line('X');
  if (x !== undefined) {
    const [version, flags] = x.trim() === '-' ? [null, ''] : x.trim().split(/\s+/);
    st.version = version;
    st.attr_flags = (flags ?? '').replace(/-/g, '');
    st.attributes = [...(st.attr_flags as string)].map((f) => ATTR_NAMES[f] ?? f);
  }
  return st;
}

async function runStat(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const p = args.path as string;
  const r = await ctx.conn.exec(statScript(p, args));
  if (/^ABSENT$/m.test(r.stdout)) return { changed: false, stat: { exists: false } };
  if (r.rc !== 0) return { failed: true, msg: r.stderr.trim() };
  return { changed: false, stat: buildStat(p, r.stdoutBytes, args) };
}

export const statModule: ModuleDef = {
  name: 'stat',
  spec: statSpec,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runStat(args, ctx)),
};
