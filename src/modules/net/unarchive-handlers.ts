// unarchive's archive handlers on the target: picks zip or GNU tar (in Ansible's order),
// lists members and decides "already unarchived" in one exec, then builds the extract argv.
import { shJoin, shQuote } from '../../connection/quote';
import { fnmatchRegex } from '../files/find';
import { ModuleFail } from '../common';
import type { ModuleContext } from '../types';
import { zipProbeScript, zipIsUnarchived } from './unarchive-zip';

export interface UnarchiveOptions {
  src: string;
  dest: string;
  extraOpts: string[];
  include: string[];
  exclude: string[];
  keepNewer: boolean;
  owner: string | null;
  group: string | null;
  mode: unknown;
  check: boolean;
}

export interface CheckResult {
  handler: 'ZipArchive' | 'TgzArchive' | 'TarArchive' | 'TarBzipArchive' | 'TarXzArchive' | 'TarZstdArchive';
  files: string[];
  unarchived: boolean;
  /** zip only: rsync-style itemized changes. */
  diff: string;
  /** argv of the extraction command. */
  extractArgv: string[];
}

const TAR_HANDLERS: [CheckResult['handler'], string][] = [
  ['TgzArchive', '-z'],
  ['TarArchive', ''],
  ['TarBzipArchive', '-j'],
  ['TarXzArchive', '-J'],
  ['TarZstdArchive', '--use-compress-program=zstd'],
];

const C_LOCALE = 'LANG=C LC_ALL=C LC_MESSAGES=C LANGUAGE=C';

/** Ansible's regexps over `tar --diff` output (stdout and stderr lines). */
const OWNER_DIFF_RE = /: Uid differs$/;
const GROUP_DIFF_RE = /: Gid differs$/;
const MODE_DIFF_RE = /: Mode differs$/;
const MOD_TIME_DIFF_RE = /: Mod time differs$/;
const EMPTY_FILE_RE = /: : Warning: Cannot stat: No such file or directory$/;
const MISSING_FILE_RE = /: Warning: Cannot stat: No such file or directory$/;
const INVALID_OWNER_RE = /: Invalid owner/;
const INVALID_GROUP_RE = /: Invalid group/;

function tarArgv(tar: string, action: string, flag: string, o: UnarchiveOptions, forDiffOrExtract: boolean): string[] {
  const argv = [tar, action, '-C', o.dest];
  if (flag) argv.push(flag);
  if (o.extraOpts.length) argv.push('--show-transformed-names', ...o.extraOpts);
  if (forDiffOrExtract) {
    // Ansible passes shlex-quoted names inside the argv (harmless for plain names)
    if (o.owner) argv.push('--owner=' + shQuote(o.owner));
    if (o.group) argv.push('--group=' + shQuote(o.group));
    if (o.keepNewer) argv.push('--keep-newer-files');
  }
  const excludes = o.exclude.map((e) => e.replace(/\/+$/, ''));
  argv.push(...excludes.map((e) => '--exclude=' + e), '-f', o.src, ...o.include);
  return argv;
}

/** One script: try zip, then each tar compression; print the first that lists members and its check. */
function pickScript(o: UnarchiveOptions, tar: string): string {
  const lines = [
    `_uid=$(id -u)`,
    `echo "UID $_uid"`,
    `_zm=; command -v unzip >/dev/null 2>&1 || _zm=unzip; command -v zipinfo >/dev/null 2>&1 || _zm="$_zm zipinfo"; echo "ZIPMISS $_zm"`,
    `if command -v unzip >/dev/null 2>&1 && command -v zipinfo >/dev/null 2>&1 && unzip -l ${shQuote(o.src)} >/dev/null 2>&1; then`,
    `echo "HANDLER ZipArchive"`,
    zipProbeScript(o),
    `exit 0`,
    `fi`,
    `_tar=$(command -v gtar || command -v tar) || { echo "NOTAR"; exit 0; }`,
    `echo "TARPATH $_tar"`,
    `case "$("$_tar" --version 2>/dev/null)" in tar*GNU*) ;; *) echo "NOTGNU"; exit 0 ;; esac`,
  ];
  if (o.check) lines.push('echo CHECKSKIP', 'exit 0');
  lines.push(`_ef=$(mktemp) || exit 1`);
  for (const [name, flag] of TAR_HANDLERS) {
    const list = shJoin(tarArgv(tar, '--list', flag, o, false));
    const diff = shJoin(tarArgv(tar, '--diff', flag, o, true));
    // a handler that cannot list says why (tar's stderr), as can_handle_archive's reason
    lines.push(
      `if _l=$(cd ${shQuote(o.dest)} && ${C_LOCALE} ${list} 2>"$_ef"); then`,
      `if [ -n "$_l" ]; then`,
      `rm -f "$_ef"`,
      `echo "HANDLER ${name}"`,
      `printf '%s\\n' "$_l" | sed 's/^/L /'`,
      `(cd ${shQuote(o.dest)} && ${C_LOCALE} ${diff} 2>&1) | sed 's/^/D /'`,
      `exit 0`,
      `fi`,
      `echo "TAREMPTY"`,
      `else echo "TARFAIL"; sed 's/^/E /' "$_ef"; echo "TAREND"`,
      `fi`,
    );
  }
  lines.push('rm -f "$_ef"', 'echo NOHANDLER');
  return lines.join('\n') + '\n';
}

export type PickOutcome = { kind: 'skip'; msg: string } | { kind: 'ok'; check: CheckResult };

/**
 * Picks the handler and checks whether the archive is already unarchived (one exec; with
 * `upload`, the archive arrives on that exec's stdin first). `tar` is the path the caller
 * learnt (`command -v gtar || command -v tar`).
 */
export async function pickAndCheck(ctx: ModuleContext, o: UnarchiveOptions, tar: string, upload?: Buffer): Promise<PickOutcome> {
  const receive = upload ? `cat > ${shQuote(o.src)} || { echo UPLOAD-FAILED; exit 0; }\n` : '';
  const r = await ctx.conn.exec(receive + pickScript(o, tar), upload ? { stdin: upload } : {});
  if (/^UPLOAD-FAILED$/m.test(r.stdout)) throw new ModuleFail(`could not upload ${o.src}: ${r.stderr.trim()}`);
  const out = r.stdout;
  const handler = /^HANDLER (\S+)$/m.exec(out)?.[1] as CheckResult['handler'] | undefined;
  const runUid = Number(/^UID (\d+)$/m.exec(out)?.[1] ?? '0');
  if (handler === 'ZipArchive') return { kind: 'ok', check: zipIsUnarchived(o, out, runUid) };
  if (/^CHECKSKIP$/m.test(out)) return { kind: 'skip', msg: 'remote module (ansible.legacy.unarchive) does not support check mode when using gtar' };
  if (!handler) {
    const reasons = [...tarReasons(out, tar)];
    if (/^NOTAR$/m.test(out)) reasons[0] = "Unable to find required 'gtar' or 'tar' binary in the path";
    if (/^NOTGNU$/m.test(out)) reasons[0] = `Command "${tar}" detected as tar type None. GNU tar required.`;
    // zip handlers whose binaries are missing say which (ZipArchive and ZipZArchive)
    const zipMissing = (/^ZIPMISS(.*)$/m.exec(out)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
    if (zipMissing.length) {
      reasons.push(`Unable to find required '${zipMissing.join("' or '")}' binary in the path.`);
      if (zipMissing.includes('unzip')) reasons.push("Unable to find required 'unzip' or 'unzip' binary in the path.");
      else reasons.push(`Command "${await unzipPath(ctx)}" could not handle archive: `);
    } else reasons.push(`Command "${await unzipPath(ctx)}" could not handle archive: `);
    throw new ModuleFail(`Failed to find handler for "${o.src}". Make sure the required command to extract the file is installed.\n${reasons.join('\n')}`);
  }
  const flag = TAR_HANDLERS.find(([n]) => n === handler)?.[1] ?? '';
  const excludes = o.exclude.map((e) => fnmatchRegex(e.replace(/\/+$/, '')));
  const files = out
    .split('\n')
    .filter((l) => l.startsWith('L '))
    .map((l) => l.slice(2).replace(/^\//, ''))
    .filter((f) => !excludes.some((re) => re.test(f)));
  const diffLines = out
    .split('\n')
    .filter((l) => l.startsWith('D '))
    .map((l) => l.slice(2));
  const relevant = diffLines.filter((line) => {
    if (EMPTY_FILE_RE.test(line)) return false;
    return (
      (runUid === 0 && !o.owner && OWNER_DIFF_RE.test(line)) ||
      (runUid === 0 && !o.group && GROUP_DIFF_RE.test(line)) ||
      (!o.mode && MODE_DIFF_RE.test(line)) ||
      MOD_TIME_DIFF_RE.test(line) ||
      MISSING_FILE_RE.test(line) ||
      INVALID_OWNER_RE.test(line) ||
      INVALID_GROUP_RE.test(line)
    );
  });
  return {
    kind: 'ok',
    check: { handler, files, unarchived: relevant.length === 0, diff: '', extractArgv: tarArgv(tar, '--extract', flag, o, true) },
  };
}

/** can_handle_archive's reasons of the tar handlers, deduplicated as Ansible's set of reasons. */
function tarReasons(out: string, tar: string): Set<string> {
  const reasons = new Set<string>();
  let err: string[] | null = null;
  for (const line of out.split('\n')) {
    if (line === 'TAREMPTY') reasons.add(`Command "${tar}" found no files in archive. Empty archive files are not supported.`);
    else if (line === 'TARFAIL') err = [];
    else if (line === 'TAREND' && err) {
      const text = err.map((l) => l + '\n').join('');
      reasons.add(`Command "${tar}" could not handle archive: Unable to list files in the archive: ${text}`);
      err = null;
    } else if (err && line.startsWith('E ')) err.push(line.slice(2));
  }
  if (!reasons.size) reasons.add(`Command "${tar}" could not handle archive: `);
  return reasons;
}

async function unzipPath(ctx: ModuleContext): Promise<string> {
  const r = await ctx.conn.exec('command -v unzip || echo unzip\n');
  return r.stdout.trim() || 'unzip';
}

/** The extraction as Ansible's run_command does it (cwd dest, C locale for tar), as one step. */
export function extractStep(o: UnarchiveOptions, check: CheckResult): string {
  const locale = check.handler === 'ZipArchive' ? '' : `${C_LOCALE} `;
  return `cd ${shQuote(o.dest)} && ${locale}${shJoin(check.extractArgv)}`;
}
