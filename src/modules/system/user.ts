// The user module (Linux): useradd/usermod/userdel driven by a one-exec probe of
// passwd/shadow/group, with Ansible's result keys for create, modify, remove and check mode.
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { runArgv, runArgvThen } from './exec';
import { parseUserProbe, probeUser, userProbeScript, type UserAccount, type UserProbe } from './user-probe';

const HASH_RE = /^\$(1|2[aby]?|5|6|y|gy|7)\$|^[a-zA-Z0-9./]{13}$|^!|^\*|^$/;

export const userSpec = {
  append: { type: 'bool', default: false },
  authorization: { type: 'str' },
  comment: { type: 'str' },
  create_home: { type: 'bool', default: true, aliases: ['createhome'] },
  expires: { type: 'float' },
  force: { type: 'bool', default: false },
  generate_ssh_key: { type: 'bool', default: false },
  group: { type: 'str' },
  groups: { type: 'list', elements: 'str' },
  hidden: { type: 'bool' },
  home: { type: 'path' },
  local: { type: 'bool', default: false },
  login_class: { type: 'str' },
  move_home: { type: 'bool', default: false },
  name: { type: 'str', required: true, aliases: ['user'] },
  non_unique: { type: 'bool', default: false },
  password: { type: 'str', noLog: true },
  password_expire_max: { type: 'int' },
  password_expire_min: { type: 'int' },
  password_lock: { type: 'bool' },
  profile: { type: 'str' },
  remove: { type: 'bool', default: false },
  role: { type: 'str' },
  seuser: { type: 'str' },
  shell: { type: 'str' },
  skeleton: { type: 'str' },
  ssh_key_bits: { type: 'int' },
  ssh_key_comment: { type: 'str', default: 'ansible-generated on $HOSTNAME' },
  ssh_key_file: { type: 'path' },
  ssh_key_passphrase: { type: 'str', noLog: true },
  ssh_key_type: { type: 'str', default: 'rsa' },
  state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
  system: { type: 'bool', default: false },
  uid: { type: 'int' },
  umask: { type: 'str' },
  update_password: { type: 'str', default: 'always', choices: ['always', 'on_create'] },
} satisfies ModuleDef['spec'];

type Args = Record<string, unknown>;

class Fail extends Error {
  constructor(message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

function requestedGroups(args: Args): string[] | undefined {
  const groups = args.groups as string[] | null;
  if (groups === null) return undefined;
  return groups.map((g) => g.trim()).filter((g) => g !== '');
}

function resolveGroup(probe: UserProbe, ref: string): { name: string; gid: number } {
  const g = probe.groups.get(ref);
  if (!g) throw new Fail(`Group ${ref} does not exist`);
  return g;
}

function expiresDate(expires: number): string {
  return new Date(Math.floor(expires) * 1000).toISOString().slice(0, 10);
}

/** usermod arguments that close the gap between the account and the task, or [] when none. */
export function planModify(args: Args, account: UserAccount, probe: UserProbe): string[] {
  const argv: string[] = [];
  if (args.uid !== null && args.uid !== account.uid) {
    argv.push('-u', String(args.uid));
    if (args.non_unique) argv.push('-o');
  }
  if (args.group !== null) {
    const g = resolveGroup(probe, args.group as string);
    if (g.gid !== account.gid) argv.push('-g', args.group as string);
  }
  const groups = requestedGroups(args);
  if (groups !== undefined) {
    const wanted = new Set(groups.map((r) => resolveGroup(probe, r).name));
    const primary = args.group !== null ? resolveGroup(probe, args.group as string).name : undefined;
    if (primary) wanted.delete(primary);
    const current = new Set(account.groups);
    const missing = [...wanted].some((g) => !current.has(g));
    const extra = [...current].some((g) => !wanted.has(g));
    if (missing || (!args.append && extra)) {
      if (args.append) argv.push('-a');
      argv.push('-G', groups.join(','));
    }
  }
  if (args.comment !== null && args.comment !== account.comment) argv.push('-c', args.comment as string);
  if (args.home !== null && args.home !== account.home) {
    argv.push('-d', args.home as string);
    if (args.move_home) argv.push('-m');
  }
  if (args.shell !== null && args.shell !== account.shell) argv.push('-s', args.shell as string);
  if (args.expires !== null) {
    const expires = args.expires as number;
    if (expires < 0) {
      if (account.expireDays !== undefined && account.expireDays !== -1) argv.push('-e', '');
    } else if (account.expireDays !== Math.floor(expires / 86400)) argv.push('-e', expiresDate(expires));
  }
  const password = args.password as string | null;
  if (password !== null && args.update_password === 'always' && account.password !== undefined && password !== account.password) {
    argv.push('-p', password);
  }
  const current = account.password ?? '';
  if (args.password_lock === true && !current.startsWith('!')) argv.push('-L');
  else if (args.password_lock === false && current.startsWith('!')) argv.push('-U');
  return argv;
}

export function planCreate(args: Args, probe: UserProbe): string[] {
  const argv = ['useradd'];
  if (args.uid !== null) {
    argv.push('-u', String(args.uid));
    if (args.non_unique) argv.push('-o');
  }
  if (args.group !== null) argv.push('-g', resolveGroup(probe, args.group as string).name);
  else if (probe.ownGroupExists) argv.push('-N');
  const groups = requestedGroups(args);
  if (groups !== undefined && groups.length) {
    for (const g of groups) resolveGroup(probe, g);
    argv.push('-G', groups.join(','));
  }
  if (args.comment !== null) argv.push('-c', args.comment as string);
  if (args.home !== null) argv.push('-d', args.home as string);
  if (args.shell !== null) argv.push('-s', args.shell as string);
  if (args.expires !== null) argv.push('-e', (args.expires as number) < 0 ? '' : expiresDate(args.expires as number));
  if (args.password !== null) argv.push('-p', args.password as string);
  if (args.create_home) {
    argv.push('-m');
    if (args.skeleton !== null) argv.push('-k', args.skeleton as string);
    if (args.umask !== null) argv.push('-K', `UMASK=${args.umask as string}`);
  } else argv.push('-M');
  if (args.system) argv.push('-r');
  argv.push(args.name as string);
  return argv;
}

function outputs(stdout: string, stderr: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (stdout) Object.assign(out, { stdout, stdout_lines: stdout.replace(/\n$/, '').split('\n') });
  if (stderr) Object.assign(out, { stderr, stderr_lines: stderr.replace(/\n$/, '').split('\n') });
  return out;
}

function accountFields(a: UserAccount): Record<string, unknown> {
  return { comment: a.comment, group: a.gid, home: a.home, shell: a.shell, uid: a.uid };
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const name = args.name as string;
  if (args.password !== null && !HASH_RE.test(args.password as string)) {
    ctx.warn("The input password appears not to have been hashed. The 'password' argument must be encrypted for this module to work properly.");
  }
  const refs = [...(args.group !== null ? [args.group as string] : []), ...(requestedGroups(args) ?? [])];
  const probe = await probeUser(ctx.conn, name, refs);
  const account = probe.account;
  if (args.state === 'absent') {
    if (!account) return { changed: false, name, state: 'absent' };
    if (ctx.check) return { changed: true };
    const argv = ['userdel', ...(args.force ? ['-f'] : []), ...(args.remove ? ['-r'] : []), name];
    const r = await runArgv(ctx.conn, argv);
    if (r.rc !== 0) return { changed: false, failed: true, name, msg: r.stderr, rc: r.rc };
    return { changed: true, force: args.force, name, remove: args.remove, state: 'absent', ...outputs(r.stdout, r.stderr) };
  }
  const masked = args.password !== null ? { password: 'NOT_LOGGING_PASSWORD' } : {};
  const groupsOut = requestedGroups(args) !== undefined ? { groups: (args.groups as string[]).join(',') } : {};
  if (!account) {
    if (ctx.check) return { changed: true };
    const argv = planCreate(args, probe);
    const r = await runArgvThen(ctx.conn, argv, userProbeScript(name, []));
    if (r.rc !== 0) return { changed: false, failed: true, name, msg: r.stderr, rc: r.rc };
    const created = parseUserProbe(name, r.probeOut).account;
    return {
      changed: true,
      ...(created ? accountFields(created) : {}),
      create_home: args.create_home,
      ...groupsOut,
      name,
      ...masked,
      state: 'present',
      system: args.system,
      ...outputs(r.stdout, r.stderr),
    };
  }
  const mods = planModify(args, account, probe);
  let after = account;
  let extra: Record<string, unknown> = {};
  if (mods.length && !ctx.check) {
    const r = await runArgvThen(ctx.conn, ['usermod', ...mods, name], userProbeScript(name, []));
    if (r.rc !== 0) return { changed: false, failed: true, name, msg: r.stderr, rc: r.rc };
    after = parseUserProbe(name, r.probeOut).account ?? account;
    extra = outputs(r.stdout, r.stderr);
  }
  return {
    append: args.append,
    changed: mods.length > 0,
    ...accountFields(after),
    ...groupsOut,
    move_home: args.move_home,
    name,
    ...masked,
    state: 'present',
    ...extra,
  };
}

export const userModule = {
  name: 'user',
  checkMode: true,
  spec: userSpec,
  async run(args, ctx) {
    try {
      return await run(args, ctx);
    } catch (e) {
      if (e instanceof Fail) return { changed: false, failed: true, msg: e.message, ...e.extra };
      throw e;
    }
  },
} satisfies ModuleDef;
