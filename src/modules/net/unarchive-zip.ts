// unarchive's zip handler: compares `zipinfo -T -s` (type, mode, size, mtime) and the
// archive CRCs with the files under dest, as Ansible's ZipArchive.is_unarchived does.
import { shJoin, shQuote } from '../../connection/quote';
import { fnmatchRegex } from '../files/find';
import { resolveMode } from '../common';
import type { CheckResult, UnarchiveOptions } from './unarchive-handlers';

/** Shell lines (run when unzip handles the archive) printing prefixed records to parse. */
export function zipProbeScript(o: UnarchiveOptions): string {
  const src = shQuote(o.src);
  const info = ['zipinfo', '-T', '-s', o.src, ...(o.exclude.length ? ['-x', ...o.exclude] : []), ...o.include];
  return [
    `echo "UNZIP $(command -v unzip)"`,
    `echo "UMASK $(umask)"`,
    `echo "WHOAMI $(id -un) $(id -gn) $(id -u) $(id -g)"`,
    `${shJoin(info)} 2>/dev/null | sed 's/^/Z /'`,
    `unzip -Z1 ${src} 2>/dev/null | sed 's/^/N /'`,
    `unzip -lv ${src} 2>/dev/null | sed 's/^/C /'`,
    // one record per member: lstat fields and, for regular files, the CRC-32 (gzip's trailer)
    `unzip -Z1 ${src} 2>/dev/null | while IFS= read -r _p; do`,
    `  _f=${shQuote(o.dest)}/"$_p"`,
    `  if [ -L "$_f" ] || [ -e "$_f" ]; then`,
    `    _s=$(find "$_f" -maxdepth 0 -printf '%y %m %s %u %g %TY%Tm%Td.%TH%TM%TS')`,
    `    _c=-; if [ -f "$_f" ] && [ ! -L "$_f" ]; then _c=$(gzip -c < "$_f" | tail -c8 | od -An -tu4 -N4 | tr -d ' '); fi`,
    `    printf 'S %s %s\\t%s\\n' "$_s" "$_c" "$_p"`,
    `  else printf 'M\\t%s\\n' "$_p"; fi`,
    `done`,
  ].join('\n');
}

interface MemberStat {
  type: string; // f d l ...
  mode: number;
  size: number;
  owner: string;
  group: string;
  mtime: string; // YYYYmmdd.HHMMSS[.frac] local time
  crc: number | null;
}

function permToMode(perm: string, umask: number): number {
  const rev = perm.split('').reverse();
  let mode = 0;
  for (let i = 0; i < 9; i++) if ('rwxst'.includes(rev[i] ?? '-')) mode += 2 ** i;
  return mode & ~umask;
}

function recordLines(out: string, prefix: string): string[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length));
}

/** Ansible's is_unarchived for zip files, from the records zipProbeScript printed. */
export function zipIsUnarchived(o: UnarchiveOptions, out: string, runUid: number): CheckResult {
  const unzip = /^UNZIP (.*)$/m.exec(out)?.[1] ?? 'unzip';
  const umask = parseInt(/^UMASK (\d+)$/m.exec(out)?.[1] ?? '022', 8);
  const [runOwner = 'root', runGroup = 'root'] = (/^WHOAMI (.*)$/m.exec(out)?.[1] ?? '').split(' ');
  const includeRes = o.include.map(fnmatchRegex);
  const excludeRes = o.exclude.map(fnmatchRegex);
  const files: string[] = [];
  for (const name of recordLines(out, 'N ')) {
    if (includeRes.length) {
      for (const re of includeRes) if (re.test(name)) files.push(name);
    } else if (!excludeRes.some((re) => re.test(name))) files.push(name);
  }
  const crcs = new Map<string, number>();
  for (const line of recordLines(out, 'C ')) {
    const m = /^\s*\d+\s+\S+\s+\d+\s+\S+\s+\S+\s+\S+\s+([0-9a-f]{8})\s+(.*)$/.exec(line);
    if (m) crcs.set(m[2] as string, parseInt(m[1] as string, 16));
  }
  const stats = new Map<string, MemberStat | null>();
  for (const line of out.split('\n')) {
    const tab = line.indexOf('\t');
    if (line.startsWith('M\t')) stats.set(line.slice(2), null);
    else if (line.startsWith('S ') && tab > 0) {
      const [type = '', mode = '0', size = '0', owner = '', group = '', mtime = '', crc = '-'] = line.slice(2, tab).split(' ');
      stats.set(line.slice(tab + 1), { type, mode: parseInt(mode, 8), size: Number(size), owner, group, mtime, crc: crc === '-' ? null : Number(crc) });
    }
  }
  const futOwner = o.owner ?? runOwner;
  const futGroup = o.group ?? runGroup;
  let diff = '';
  let changedAny = false;
  const newer: string[] = [];
  const zlines = recordLines(out, 'Z ');
  for (const line of zlines) {
    const pcs = line.trim().split(/\s+/);
    if (pcs.length < 8) continue;
    const [perm = '', , , sizeStr = '0', , , stamp = ''] = pcs;
    // the name is everything after the 7th field (may contain spaces)
    const name = line.trim().replace(/^(\S+\s+){7}/, '');
    if (perm.length !== 7 && perm.length !== 10) continue;
    if (stamp.length !== 15) continue;
    if (!'dl-?'.includes(perm[0] ?? 'x') || ![...perm.slice(1)].every((c) => 'rwxstah-'.includes(c))) continue;
    if (o.exclude.includes(name)) continue;
    const ztype = perm[0] as string;
    let permstr = perm.slice(1);
    const ftype = name.endsWith('/') ? 'd' : ztype === 'l' ? 'L' : 'f';
    let fileUmask = 0;
    if (permstr.length === 6) {
      permstr = name.endsWith('/') || permstr === 'rwx---' ? 'rwxrwxrwx' : 'rw-rw-rw-';
      fileUmask = umask;
    }
    const st = stats.get(name);
    if (!st) {
      changedAny = true;
      diff += `>${ftype}++++++.?? ${name}\n`;
      continue;
    }
    if ((ftype === 'd' && st.type !== 'd') || (ftype === 'f' && st.type !== 'f') || (ftype === 'L' && st.type !== 'l')) {
      changedAny = true;
      diff += `c${ftype}++++++.?? ${name}\n`;
      continue;
    }
    const itemized = `.${ftype}.......??`.split('');
    let change = false;
    // find prints seconds with a fraction: equal only when the fraction is zero (as st_mtime)
    const fsWhole = st.mtime.slice(0, 15);
    const fsFraction = !/^(\.0*)?$/.test(st.mtime.slice(15));
    if (st.type === 'f') {
      const fsNewer = stamp < fsWhole || (stamp === fsWhole && fsFraction);
      if (o.keepNewer) {
        if (stamp > fsWhole) {
          change = true;
          itemized[4] = 't';
        } else if (fsNewer) {
          newer.push(name);
          continue;
        }
      } else if (stamp !== fsWhole || fsFraction) {
        change = true;
        itemized[4] = 't';
      }
      if (Number(sizeStr) !== st.size) {
        change = true;
        itemized[3] = 's';
      }
      if (st.crc !== null && crcs.has(name) && st.crc !== crcs.get(name)) {
        change = true;
        itemized[2] = 'c';
      }
    }
    if (ftype !== 'L') {
      let mode: number;
      if (o.mode !== null && o.mode !== undefined) mode = resolveMode(o.mode, st.mode, st.type === 'd', name);
      else mode = permToMode(permstr, ztype === '?' ? 0 : fileUmask);
      if (mode !== st.mode) {
        change = true;
        itemized[5] = 'p';
      }
    }
    if (runUid === 0 || o.owner) {
      if (st.owner !== futOwner) {
        change = true;
        itemized[6] = 'o';
      }
      if (st.group !== futGroup) {
        change = true;
        itemized[6] = 'g';
      }
    }
    if (change) {
      changedAny = true;
      diff += `${itemized.join('')} ${name}\n`;
    }
  }
  // files newer on disk (keep_newer) join the excludes, as Ansible appends them
  const excludes = [...o.exclude, ...newer];
  const argv = [unzip, '-o', ...o.extraOpts, o.src, ...(excludes.length ? ['-x', ...excludes] : []), ...o.include, '-d', o.dest];
  return { handler: 'ZipArchive', files: files.filter((f) => !newer.includes(f)), unarchived: zlines.length > 0 && !changedAny, diff, extractArgv: argv };
}
