// community.general.archive: tar (gz/bz2/xz) or zip archives, or one compressed file, built on
// the target with tar/zip/gzip; changed when the archive's members (names and headers) differ.
import { shJoin, shQuote } from '../../connection/quote';
import { addPathInfo, attrNames, catchFail, ModuleFail, planAttrs, probe, runCommands } from '../common';
import { FILE_COMMON_SPEC } from '../files/spec-common';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { fnmatchRegex } from '../files/find';
import { commonRoot, excluded, isArchiveName, stripPrefix, walkOrder, type WalkEntry } from './archive-walk';

const TAR_FLAG: Record<string, string> = { gz: '-z', bz2: '-j', xz: '-J', tar: '' };
const COMPRESSOR: Record<string, string> = { gz: 'gzip', bz2: 'bzip2', xz: 'xz' };

/** Expands globs on the target as Python's glob.glob (directory order, hidden names only for dot patterns). */
async function expand(ctx: ModuleContext, paths: string[]): Promise<{ paths: string[]; globby: boolean }> {
  const out: string[] = [];
  let globby = false;
  for (const p of paths) {
    if (!/[*?]/.test(p)) out.push(p);
    else {
      globby = true;
      out.push(...(await globOnTarget(ctx, p)));
    }
  }
  return { paths: out, globby };
}

const MAGIC = /[*?[]/;

async function globOnTarget(ctx: ModuleContext, pattern: string): Promise<string[]> {
  const parts = pattern.split('/');
  let bases = [pattern.startsWith('/') ? '/' : ''];
  const join = (b: string, c: string): string => (b === '' ? c : b.endsWith('/') ? b + c : `${b}/${c}`);
  for (const [i, part] of parts.entries()) {
    if (part === '' && i === 0) continue;
    const last = i === parts.length - 1;
    if (!MAGIC.test(part)) {
      bases = bases.map((b) => join(b, part));
      continue;
    }
    const listing = bases.map((b, j) => `find ${shQuote(b || '.')} -mindepth 1 -maxdepth 1 ${last ? '' : '\\( -type d -o -xtype d \\) '}-printf '${j} %f\\n' 2>/dev/null`);
    const r = await ctx.conn.exec(listing.join('\n') + '\nexit 0\n');
    const re = fnmatchRegex(part);
    const next: string[] = [];
    for (const line of r.stdout.split('\n')) {
      const sp = line.indexOf(' ');
      if (sp < 0) continue;
      const name = line.slice(sp + 1);
      if (name.startsWith('.') && !part.startsWith('.')) continue;
      if (re.test(name)) next.push(join(bases[Number(line.slice(0, sp))] as string, name));
    }
    bases = next;
  }
  if (!MAGIC.test(parts[parts.length - 1] ?? '')) {
    const r = await ctx.conn.exec(bases.map((b, j) => `{ [ -e ${shQuote(b)} ] || [ -L ${shQuote(b)} ]; } && echo ${j}`).join('\n') + '\nexit 0\n');
    const ok = new Set(r.stdout.split('\n').filter(Boolean).map(Number));
    bases = bases.filter((_b, j) => ok.has(j));
  }
  return bases;
}

/** A fingerprint of the archive's members; equal before and after means unchanged. */
function fingerprintScript(format: string, dest: string, single: boolean): string {
  const d = shQuote(dest);
  const list = format === 'zip'
    ? `unzip -Z -v ${d} 2>/dev/null | grep -E '^(Central directory entry|  32-bit CRC value)'`
    : single ? `${COMPRESSOR[format] ?? 'cat'} -dc < ${d} 2>/dev/null | cksum`
      : `tar ${TAR_FLAG[format] ?? ''} -tv --full-time --numeric-owner -f ${d} 2>/dev/null | sort`;
  return `if [ -r ${d} ]; then printf 'FP %s\\n' "$( (${list}) | sha1sum | cut -d' ' -f1)"; printf 'SIZE %s\\n' "$(stat -c %s ${d})"; else echo 'FP -'; fi`;
}

async function archive(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const format = args.format as string;
  const given = args.path as string[];
  const patterns = (args.exclusion_patterns as string[] | null) ?? [];
  const { paths: expanded, globby } = await expand(ctx, given);
  const { paths: excludedPaths } = await expand(ctx, args.exclude_path as string[]);
  const paths = [...new Set(expanded.filter((p) => !excludedPaths.includes(p)))].sort();
  if (!paths.length) {
    throw new ModuleFail('Error, no source paths were found', { path: given.join(', '), expanded_paths: expanded.join(', '), expanded_exclude_paths: excludedPaths.join(', ') });
  }
  const root = commonRoot(paths);
  // one probe: each path's type, a walk of directories, the destination's fingerprint
  const walkLines = paths.map((p, i) => `if [ -e ${shQuote(p)} ] || [ -L ${shQuote(p)} ]; then [ -d ${shQuote(p)} ] && echo "T ${i} d" || echo "T ${i} f"; ` +
    `[ -d ${shQuote(p)} ] && [ ! -L ${shQuote(p)} ] && find ${shQuote(p)} -mindepth 1 -printf "W ${i} %Y %p\\n"; else echo "T ${i} -"; fi`);
  let dest = args.dest as string | null;
  const first = await ctx.conn.exec(walkLines.join('\n') + '\nexit 0\n');
  const types = new Map<number, string>();
  const walks = new Map<number, WalkEntry[]>();
  for (const line of first.stdout.split('\n')) {
    const [tag, idx = '', kind = '', ...rest] = line.split(' ');
    if (tag === 'T') types.set(Number(idx), kind);
    else if (tag === 'W') walks.set(Number(idx), [...(walks.get(Number(idx)) ?? []), { path: rest.join(' '), isDir: kind === 'd' }]);
  }
  const mustArchive = (args.force_archive as boolean) || globby || types.get(0) === 'd' || paths.length > 1;
  if (!dest && !mustArchive) dest = `${paths[0]}.${format}`;
  if (mustArchive && !dest) throw new ModuleFail('Error, must specify "dest" when archiving multiple files or trees', { dest: null, path: given.join(', ') });
  const destPath = dest as string;
  if (args.remove && paths.some((p, i) => types.get(i) === 'd' && destPath.startsWith(p.replace(/\/*$/, '/')))) {
    throw new ModuleFail('Error, created archive can not be contained in source paths when remove=true', { path: paths.join(', ') });
  }
  const targets = paths.filter((_p, i) => types.get(i) !== '-');
  const missing = paths.filter((_p, i) => types.get(i) === '-');
  const single = !mustArchive;
  const result: ModuleResult = { archived: [], dest: destPath, dest_state: 'absent', changed: false, arcroot: root, missing, expanded_paths: expanded, expanded_exclude_paths: excludedPaths };
  const fp = async (): Promise<{ fp: string; size: number }> => {
    const r = await ctx.conn.exec(fingerprintScript(format, destPath, single && format !== 'zip' && format !== 'tar') + '\n');
    return { fp: /^FP (.*)$/m.exec(r.stdout)?.[1] ?? '-', size: Number(/^SIZE (\d+)$/m.exec(r.stdout)?.[1] ?? 0) };
  };
  const before = await fp();
  if (!targets.length) {
    if (before.fp !== '-') result.dest_state = isArchiveName(destPath) ? 'archive' : 'compress';
  } else if (ctx.check) {
    result.changed = mustArchive || before.fp === '-';
  } else {
    const entries = mustArchive
      ? targets.flatMap((t) => [...(types.get(paths.indexOf(t)) === 'd' ? walkOrder(t, walks.get(paths.indexOf(t)) ?? []) : [t])])
      : [paths[0] as string];
    const isDir = new Set([...walks.values()].flat().filter((e) => e.isDir).map((e) => e.path).concat(paths.filter((_p, i) => types.get(i) === 'd')));
    await build(ctx, format, destPath, root, entries, patterns, mustArchive || format === 'zip' || format === 'tar');
    const archived = entries.filter((e) => {
      const name = stripPrefix(root, e);
      if (format === 'zip') return !excluded(e, patterns) && !isDir.has(e);
      return !excluded(name, patterns);
    });
    result.archived = single && format !== 'zip' && format !== 'tar' ? [paths[0]] : archived;
    result.dest_state = !mustArchive ? (format === 'zip' || format === 'tar' ? 'archive' : 'compress') : missing.length ? 'incomplete' : 'archive';
    const after = await fp();
    result.changed = before.fp === '-' ? before.size !== after.size || after.fp !== '-' : before.fp !== after.fp;
    if (args.remove) await removeSources(ctx, mustArchive ? (result.archived as string[]) : [paths[0] as string], mustArchive ? paths : []);
  }
  return withAttrs(ctx, args, destPath, result);
}

/** Writes the archive to a temp file beside dest and renames it over dest. */
async function build(ctx: ModuleContext, format: string, dest: string, root: string, entries: string[], patterns: string[], archiveFormat: boolean): Promise<void> {
  const tmp = `${dest}.tsible-tmp`;
  let script: string;
  if (!archiveFormat) script = `${COMPRESSOR[format] ?? 'gzip'} -c < ${shQuote(entries[0] as string)} > ${shQuote(tmp)}`;
  else {
    const names = entries
      .filter((e) => (format === 'zip' ? !excluded(e, patterns) : !excluded(stripPrefix(root, e), patterns)))
      .map((e) => stripPrefix(root, e));
    const list = names.join('\n') + '\n';
    const b64 = Buffer.from(list).toString('base64');
    script = format === 'zip'
      ? `rm -f -- ${shQuote(tmp)}; cd ${shQuote(root)} && echo ${b64} | base64 -d | zip -q ${shQuote(tmp)} -@`
      : `echo ${b64} | base64 -d | tar ${TAR_FLAG[format] ?? ''} --format=pax --no-recursion -C ${shQuote(root)} -c -f ${shQuote(tmp)} -T -`;
  }
  // the real module rewrites dest in place, so an existing archive keeps its mode and owner
  const keep = `if [ -e ${shQuote(dest)} ]; then chmod --reference=${shQuote(dest)} -- ${shQuote(tmp)}; chown --reference=${shQuote(dest)} -- ${shQuote(tmp)}; fi`;
  const r = await ctx.conn.exec(`${script} && { ${keep}; mv -f -- ${shQuote(tmp)} ${shQuote(dest)}; }\n`);
  if (r.rc !== 0) {
    await ctx.conn.exec(`rm -f -- ${shQuote(tmp)}\n`);
    const kind = format === 'zip' || format === 'tar' ? format : `tar.${format}`;
    throw new ModuleFail(archiveFormat ? `Error when writing ${kind} archive at ${dest}: ${r.stderr.trim()}` : `Unable to write to compressed file: ${r.stderr.trim()}`, { dest });
  }
}

async function removeSources(ctx: ModuleContext, files: string[], trees: string[]): Promise<void> {
  const r = await ctx.conn.exec([...files.map((f) => `[ -e ${shQuote(f)} ] && rm -rf -- ${shQuote(f)}`), ...trees.map((t) => `[ -d ${shQuote(t)} ] && rm -rf -- ${shQuote(t)}`), 'exit 0'].join('\n') + '\n');
  if (r.rc !== 0) throw new ModuleFail('Error deleting some source files: ', { files });
}

/** mode/owner/group on the destination, then the file info Ansible adds for `dest`. */
async function withAttrs(ctx: ModuleContext, args: Record<string, unknown>, dest: string, result: ModuleResult): Promise<ModuleResult> {
  const attrArgs = { mode: args.mode, owner: args.owner as string | null, group: args.group as string | null };
  const pr = await probe(ctx.conn, { paths: [dest], ...attrNames(attrArgs) });
  const st = pr.stats[0];
  if (st?.exists) {
    const plan = planAttrs(dest, st, attrArgs, pr);
    if (plan.changed) {
      result.changed = true;
      if (!ctx.check) await runCommands(ctx.conn, plan.commands);
    }
    return addPathInfo(ctx.conn, result);
  }
  return result;
}

export const archiveModule = {
  name: 'archive',
  fqcns: ['community.general.archive'],
  checkMode: true,
  spec: {
    ...FILE_COMMON_SPEC,
    dest: { type: 'path' },
    exclude_path: { type: 'list', elements: 'path', default: [] },
    exclusion_patterns: { type: 'list', elements: 'path' },
    force_archive: { type: 'bool', default: false },
    format: { type: 'str', default: 'gz', choices: ['bz2', 'gz', 'tar', 'xz', 'zip'] },
    path: { type: 'list', elements: 'path', required: true },
    remove: { type: 'bool', default: false },
  },
  run: (args, ctx) => catchFail(() => archive(args, ctx)),
} satisfies ModuleDef;
