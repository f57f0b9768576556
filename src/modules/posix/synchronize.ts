// ansible.posix.synchronize: rsync between the controller and the host. On the local
// connection it is plain rsync between two local paths (src found in the role's files/ as the
// action plugin finds it); other transports are refused until the connection offers a stream
// to run `rsync --server` through (see the README's collection section).
import * as os from 'os';
import { shQuote } from '../../connection/quote';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';

const MARKER = '<<CHANGED>>';

/** rsync's arguments in the real module's order (the local case: no --rsh). */
export function rsyncArgv(rsync: string, args: Record<string, unknown>, check: boolean, src: string, dest: string): string[] {
  const cmd = [rsync];
  if (args.delay_updates) cmd.push('--delay-updates', '-F');
  if (args.compress) cmd.push('--compress');
  if (args.rsync_timeout) cmd.push(`--timeout=${args.rsync_timeout as number}`);
  if (check) cmd.push('--dry-run');
  if (args.delete) cmd.push('--delete-after');
  if (args.existing_only) cmd.push('--existing');
  if (args.checksum) cmd.push('--checksum');
  if (args.copy_links) cmd.push('--copy-links');
  const flags = ['recursive', 'links', 'perms', 'times', 'owner', 'group'] as const;
  if (args.archive) {
    cmd.push('--archive');
    for (const f of flags) if (args[f] === false) cmd.push(`--no-${f}`);
  } else for (const f of flags) if (args[f] === true) cmd.push(`--${f}`);
  if (args.dirs) cmd.push('--dirs');
  if (args.rsync_path) cmd.push(`--rsync-path=${shQuote(args.rsync_path as string)}`);
  cmd.push(...((args.rsync_opts as string[] | null) ?? []));
  if (args.partial) cmd.push('--partial');
  for (const l of (args.link_dest as string[] | null) ?? []) cmd.push('--link-dest=' + l);
  if ((args.link_dest as string[] | null)?.length) cmd.splice(cmd.indexOf('--link-dest=' + ((args.link_dest as string[])[0] as string)), 0, '-H', '-vv');
  cmd.push(`--out-format=${shQuote(`${MARKER}%i %n%L`)}`);
  const home = (p: string): string => (p.startsWith('~/') || p === '~' ? os.homedir() + p.slice(1) : p);
  cmd.push(shQuote(src.includes('@') ? src : home(src)), shQuote(dest.includes('@') ? dest : home(dest)));
  return cmd;
}

/** A relative src is looked up in the role's files/ (then the role and playbook dirs), keeping a trailing slash. */
function resolveLocal(ctx: ModuleContext, p: string): string {
  if (p.startsWith('/') || p.startsWith('~') || p.startsWith('rsync://')) return p;
  const found = ctx.controller.findFile('files', p.replace(/\/+$/, '')) ?? p;
  return p.endsWith('/') && !found.endsWith('/') ? found + '/' : found;
}

async function synchronize(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  if (ctx.conn.transport !== 'local') {
    return {
      failed: true, changed: false,
      msg: `synchronize over the ${ctx.conn.transport} connection is not supported by tsible yet: only hosts on the local connection (rsync between local paths)`,
    };
  }
  const src = (args.src as string).startsWith('rsync://') ? (args.src as string) : resolveLocal(ctx, args.src as string);
  const dest = args.dest as string;
  if (src.startsWith('rsync://') && dest.startsWith('rsync://')) return { failed: true, changed: false, msg: 'either src or dest must be a localhost', rc: 1 };
  let rsync = args._local_rsync_path as string;
  if (!rsync.includes('/')) {
    const r = await ctx.conn.exec(`command -v ${shQuote(rsync)} || { echo "PATH=$PATH"; exit 1; }\n`);
    if (r.rc !== 0) return { failed: true, changed: false, msg: `Failed to find required executable "${rsync}" in paths: ${r.stdout.trim().replace(/^PATH=/, '')}` };
    rsync = r.stdout.trim();
  }
  const argv = rsyncArgv(rsync, args, ctx.check, src, dest);
  const cmd = argv.join(' ');
  if (((args.rsync_opts as string[] | null) ?? []).includes('')) {
    ctx.warn('The empty string is present in rsync_opts which will cause rsync to transfer the current working directory. If this is intended, use "." instead to get rid of this warning. If this is unintended, check for problems in your playbook leading to empty string in rsync_opts.');
  }
  // the command line is already quoted word by word, as the real module builds it
  const r = await ctx.conn.exec(cmd + '\n');
  if (r.rc !== 0) return { failed: true, changed: false, msg: r.stderr, rc: r.rc, cmd };
  const changed = (args.link_dest as string[] | null)?.length ? !r.stdout.includes(MARKER + '.') : r.stdout.includes(MARKER);
  const clean = r.stdout.split(MARKER).join('');
  const result: ModuleResult = { changed, msg: clean, rc: r.rc, cmd, stdout_lines: clean.split('\n').filter((l) => l !== '') };
  if (ctx.diff) result.diff = { prepared: clean };
  return result;
}

export const synchronizeModule = {
  name: 'synchronize',
  fqcns: ['ansible.posix.synchronize'],
  checkMode: true,
  spec: {
    _local_rsync_path: { type: 'path', default: 'rsync' },
    archive: { type: 'bool', default: true },
    checksum: { type: 'bool', default: false },
    compress: { type: 'bool', default: true },
    copy_links: { type: 'bool', default: false },
    delay_updates: { type: 'bool', default: true },
    delete: { type: 'bool', default: false },
    dest: { type: 'str', required: true },
    dest_port: { type: 'int' },
    dirs: { type: 'bool', default: false },
    existing_only: { type: 'bool', default: false },
    group: { type: 'bool' },
    link_dest: { type: 'list', elements: 'str' },
    links: { type: 'bool' },
    mode: { type: 'str', default: 'push', choices: ['pull', 'push'] },
    owner: { type: 'bool' },
    partial: { type: 'bool', default: false },
    perms: { type: 'bool' },
    private_key: { type: 'path' },
    recursive: { type: 'bool' },
    rsync_opts: { type: 'list', default: [], elements: 'str' },
    rsync_path: { type: 'str' },
    rsync_timeout: { type: 'int', default: 0 },
    set_remote_user: { type: 'bool', default: true },
    src: { type: 'str', required: true },
    ssh_args: { type: 'str' },
    ssh_connection_multiplexing: { type: 'bool', default: false },
    times: { type: 'bool' },
    use_ssh_args: { type: 'bool', default: false },
    verify_host: { type: 'bool', default: false },
  },
  run: synchronize,
} satisfies ModuleDef;
