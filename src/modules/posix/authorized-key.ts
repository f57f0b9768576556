// ansible.posix.authorized_key: keeps SSH public keys in a user's authorized_keys file.
// One probe (user, key file path, content), the plan from authorized-keys-file.ts, one write.
import { shQuote } from '../../connection/quote';
import { addPathInfo, atomicWrite, catchFail, ModuleFail } from '../common';
import { curlConfig, parseResponse, requestScript } from '../net/http-request';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { planKeys } from './authorized-keys-file';

interface KeyFileProbe {
  /** getent passwd fields, when the user exists. */
  user?: { uid: number; gid: number; home: string };
  keyfile: string;
  /** The path written to (realpath when follow). */
  target: string;
  content: string;
}

async function probeKeyFile(ctx: ModuleContext, user: string, path: string | null, follow: boolean): Promise<KeyFileProbe> {
  const lines = [
    `if _pw=$(getent passwd -- ${shQuote(user)}); then printf 'PW %s\\n' "$_pw"; fi`,
    path !== null ? `_kf=${shQuote(path)}` : `_kf="$(printf %s "$_pw" | cut -d: -f6)/.ssh/authorized_keys"`,
    `printf 'KF %s\\n' "$(printf %s "$_kf" | base64 -w0)"`,
    follow ? `_kt=$(realpath -m -- "$_kf")` : `_kt=$_kf`,
    `printf 'KT %s\\n' "$(printf %s "$_kt" | base64 -w0)"`,
    `if [ -f "$_kf" ]; then printf 'DATA '; base64 -w0 < "$_kf"; echo; fi`,
  ];
  const r = await ctx.conn.exec(lines.join('\n') + '\n');
  const field = (name: string): string | undefined => new RegExp(`^${name} (.*)$`, 'm').exec(r.stdout)?.[1];
  const b64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');
  const pw = field('PW')?.split(':');
  return {
    ...(pw && pw.length >= 7 ? { user: { uid: Number(pw[2]), gid: Number(pw[3]), home: pw[5] as string } } : {}),
    keyfile: b64(field('KF')),
    target: b64(field('KT')),
    content: b64(field('DATA')),
  };
}

/** Fetches keys from an http(s) URL on the target, as the real module's fetch_url does. */
async function fetchKeys(ctx: ModuleContext, url: string, validateCerts: boolean): Promise<string> {
  const req = { url, method: 'GET', headers: {}, timeout: 10, validateCerts, follow: 'safe' as const, userAgent: 'ansible-httpget', bodyFile: '$_bf' };
  const script = `_bf=$(mktemp) || exit 1\n${requestScript(req)}printf 'BODY '; base64 -w0 < "$_bf"; echo; rm -f -- "$_bf"\n`;
  const r = await ctx.conn.exec(script, { stdin: curlConfig(req) });
  const { info } = parseResponse(req, r.stdout);
  if (info.status !== 200) throw new ModuleFail(`Error getting key from: ${url}`);
  return Buffer.from(/^BODY (.*)$/m.exec(r.stdout)?.[1] ?? '', 'base64').toString('utf8');
}

/** Creates the .ssh directory and the key file with the real module's modes and owner. */
async function prepareKeyFile(ctx: ModuleContext, file: string, sshDir: string, user: { uid: number; gid: number }, manageDir: boolean): Promise<void> {
  const owner = `${user.uid}:${user.gid}`;
  const d = shQuote(sshDir);
  const f = shQuote(file);
  const lines = [
    manageDir ? `if [ ! -e ${d} ]; then _e=$(mkdir -m 0700 -- ${d} 2>&1) || { printf 'MKDIR %s\\n' "$_e"; exit 3; }; fi; chown ${owner} ${d}; chmod 0700 ${d}` : '',
    `if [ ! -e ${f} ]; then mkdir -p -- "$(dirname -- ${f})" && : > ${f} || exit 1; fi`,
    `chown ${owner} ${f} 2>/dev/null; chmod 0600 ${f} 2>/dev/null; exit 0`,
  ].filter(Boolean);
  const r = await ctx.conn.exec(lines.join('\n') + '\n');
  if (r.rc === 3) throw new ModuleFail(`Failed to create directory ${sshDir} : ${(/^MKDIR (.*)$/m.exec(r.stdout)?.[1] ?? '').replace(/^mkdir: cannot create directory '[^']*': /, '')}`);
  if (r.rc !== 0) throw new ModuleFail(`Failed to write to file ${file}: ${r.stderr.trim()}`);
}

async function run(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const user = args.user as string;
  const path = args.path as string | null;
  const follow = args.follow as boolean;
  let keys = args.key as string;
  if (keys.startsWith('http')) keys = await fetchKeys(ctx, keys, args.validate_certs as boolean);
  const probe = await probeKeyFile(ctx, user, path, follow);
  if (!probe.user && !(ctx.check && path !== null)) {
    if (ctx.check) throw new ModuleFail('Either user must exist or you must provide full path to key file in check mode');
    throw new ModuleFail(`Failed to lookup user ${user}: "getpwnam(): name not found: '${user}'"`);
  }
  const plan = planKeys(probe.content, {
    keys,
    present: args.state === 'present',
    exclusive: args.exclusive as boolean,
    keyOptions: args.key_options as string | null,
    comment: args.comment as string | null,
  });
  if (plan.invalid !== undefined) throw new ModuleFail(`invalid key specified: ${plan.invalid}`);
  const result: ModuleResult = { ...args, keyfile: probe.keyfile, changed: plan.changed };
  // the real module's result holds `path`, so AnsibleModule adds that file's stat to it
  const withPathInfo = (r: ModuleResult): Promise<ModuleResult> => (path !== null ? addPathInfo(ctx.conn, r) : Promise.resolve(r));
  if (!plan.changed) return withPathInfo(result);
  const target = ctx.check ? (path ?? probe.keyfile) : probe.target;
  if (ctx.diff) result.diff = { before_header: probe.keyfile, after_header: target, before: probe.content, after: plan.content };
  if (ctx.check) return withPathInfo(result);
  const sshDir = path !== null ? path.replace(/\/[^/]*$/, '') || '/' : `${probe.user?.home ?? ''}/.ssh`;
  await prepareKeyFile(ctx, target, sshDir, probe.user as { uid: number; gid: number }, args.manage_dir as boolean);
  await atomicWrite(ctx.conn, { dest: target, content: plan.content });
  return withPathInfo(result);
}

export const authorizedKeyModule = {
  name: 'authorized_key',
  fqcns: ['ansible.posix.authorized_key'],
  checkMode: true,
  spec: {
    comment: { type: 'str' },
    exclusive: { type: 'bool', default: false },
    follow: { type: 'bool', default: false },
    key: { type: 'str', required: true },
    key_options: { type: 'str' },
    manage_dir: { type: 'bool', default: true },
    path: { type: 'path' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    user: { type: 'str', required: true },
    validate_certs: { type: 'bool', default: true },
  },
  run: (args, ctx) => catchFail(() => run(args, ctx)),
} satisfies ModuleDef;
