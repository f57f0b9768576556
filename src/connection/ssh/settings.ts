// Where to connect and how, for one host: Ansible's connection variables turned into OpenSSH
// options in the order ansible's ssh plugin passes them, then ssh_config; the first value wins.
import * as fs from 'fs';
import * as path from 'path';
import type { ConnectionOptions } from '../types';
import { parseOptionText, parseSshArgs, type SshOption } from './openssh-args';
import { sshConfigOptions } from './ssh-config';

export type StrictMode = 'yes' | 'no' | 'accept-new';

export interface SshSettings {
  /** The host name as given to ssh (ansible_host), shown in -vvv lines. */
  alias: string;
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
  /** Only the identity files, not the agent's other keys. */
  identitiesOnly: boolean;
  /** ssh-agent socket, or undefined when none is used. */
  agentSocket?: string;
  forwardAgent: boolean;
  password?: string;
  passphrase?: string;
  /** Authentication methods allowed, in the order tried. */
  methods: ('publickey' | 'password' | 'keyboard-interactive')[];
  proxyJump?: string;
  proxyCommand?: string;
  strict: StrictMode;
  userKnownHosts: string[];
  globalKnownHosts: string[];
  hashKnownHosts: boolean;
  hostKeyAlias?: string;
  /** Seconds between keepalives (0: none) and how many may go unanswered. */
  serverAliveInterval: number;
  serverAliveCountMax: number;
  connectTimeout: number;
  /** Connection attempts in all: ConnectionAttempts times (1 + ansible_ssh_retries). */
  attempts: number;
  compression: boolean;
  family?: 4 | 6;
  /** Options given on the command line that tsible does not act upon, as written. */
  unhonoured: { source: string; option: string }[];
}

export interface SettingsEnv {
  home: string;
  localUser: string;
  authSock?: string;
}

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa'];

function yes(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  return ['yes', 'true', 'on'].includes(v.toLowerCase());
}

/** Ansible's own -o options, in _build_command's order, before the user's args. */
function ansibleOptions(o: ConnectionOptions): SshOption[] {
  const out: SshOption[] = [];
  if (o.hostKeyChecking === false) out.push({ key: 'stricthostkeychecking', value: 'no' });
  if (o.port !== undefined) out.push({ key: 'port', value: String(o.port) });
  if (o.privateKeyFile) out.push({ key: 'identityfile', value: o.privateKeyFile });
  if (!o.password) {
    out.push({ key: 'kbdinteractiveauthentication', value: 'no' });
    out.push({ key: 'preferredauthentications', value: 'gssapi-with-mic,gssapi-keyex,hostbased,publickey' });
    out.push({ key: 'passwordauthentication', value: 'no' });
  }
  if (o.user) out.push({ key: 'user', value: o.user });
  if (o.timeoutSeconds !== undefined) out.push({ key: 'connecttimeout', value: String(o.timeoutSeconds) });
  return out;
}

function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  return p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

/** %h %p %r %u %d %n %% as ssh_config(5) defines them. */
function expandTokens(s: string, t: { h: string; p: number; r: string; u: string; d: string; n: string }): string {
  return s.replace(/%([hprudn%])/g, (_, c: string) => (c === '%' ? '%' : String(t[c as keyof typeof t])));
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

export function resolveSettings(o: ConnectionOptions, env: SettingsEnv): SshSettings {
  const alias = o.address ?? o.host;
  const unhonoured: SshSettings['unhonoured'] = [];
  const argSets: [string, string | undefined][] = [
    ['ssh_args', o.sshArgs],
    ['ssh_common_args', o.sshCommonArgs],
    ['ssh_extra_args', o.sshExtraArgs],
  ];
  const parsed = argSets.map(([source, text]) => ({ source, ...parseSshArgs(text) }));
  for (const p of parsed) for (const option of p.unhonoured) unhonoured.push({ source: p.source, option });
  const [sshArgs, common, extra] = parsed;
  const cmdline: SshOption[] = [...(sshArgs?.options ?? []), ...ansibleOptions(o), ...(common?.options ?? []), ...(extra?.options ?? [])];
  const configFile = parsed.map((p) => p.configFile).find((f) => f !== undefined);
  const cmdUser = cmdline.find((x) => x.key === 'user')?.value;
  const fromConfig = sshConfigOptions(
    { originalHost: alias, user: cmdUser ? unquote(cmdUser) : undefined, localUser: env.localUser, home: env.home },
    configFile === undefined ? undefined : expandTilde(configFile, env.home),
  );
  const all = [...cmdline, ...fromConfig];
  const first = (key: string): string | undefined => {
    const v = all.find((x) => x.key === key)?.value;
    return v === undefined ? undefined : unquote(v);
  };

  const hostnameRaw = first('hostname');
  const hostname = hostnameRaw ? hostnameRaw.replace(/%h/g, alias) : alias;
  const port = Number.parseInt(first('port') ?? '22', 10) || 22;
  const user = first('user') ?? env.localUser;
  const tokens = { h: hostname, p: port, r: user, u: env.localUser, d: env.home, n: alias };
  const file = (p: string) => expandTilde(expandTokens(unquote(p), tokens), env.home);

  let identityFiles = all.filter((x) => x.key === 'identityfile').map((x) => x.value).filter((v) => v.toLowerCase() !== 'none').map(file);
  if (!all.some((x) => x.key === 'identityfile')) {
    identityFiles = DEFAULT_IDENTITIES.map((n) => path.join(env.home, '.ssh', n)).filter((f) => fs.existsSync(f));
  }
  const agentOpt = first('identityagent');
  let agentSocket: string | undefined = env.authSock;
  if (agentOpt !== undefined) agentSocket = agentOpt.toLowerCase() === 'none' ? undefined : agentOpt === 'SSH_AUTH_SOCK' ? env.authSock : file(agentOpt);

  const methods: SshSettings['methods'] = [];
  const preferred = (first('preferredauthentications') ?? 'publickey,keyboard-interactive,password').split(',');
  for (const m of preferred) {
    if (m === 'publickey' && yes(first('pubkeyauthentication'), true)) methods.push('publickey');
    if (m === 'password' && yes(first('passwordauthentication'), true) && o.password !== undefined) methods.push('password');
    if (m === 'keyboard-interactive' && yes(first('kbdinteractiveauthentication') ?? first('challengeresponseauthentication'), true) && o.password !== undefined) {
      methods.push('keyboard-interactive');
    }
  }

  const strictRaw = (first('stricthostkeychecking') ?? 'ask').toLowerCase();
  const strict: StrictMode = ['no', 'off', 'false'].includes(strictRaw) ? 'no' : strictRaw === 'accept-new' ? 'accept-new' : 'yes';
  const knownList = (key: string, dflt: string) => (first(key) ?? dflt).split(/\s+/).filter((f) => f && f.toLowerCase() !== 'none').map(file);

  const jump = first('proxyjump');
  const command = all.find((x) => x.key === 'proxycommand');
  // whichever of ProxyJump and ProxyCommand comes first wins, as in OpenSSH
  const jumpAt = all.findIndex((x) => x.key === 'proxyjump');
  const commandAt = all.findIndex((x) => x.key === 'proxycommand');
  const jumpFirst = jumpAt >= 0 && (commandAt < 0 || jumpAt < commandAt);
  const connectTimeout = Number.parseInt(first('connecttimeout') ?? '', 10);
  const family = first('addressfamily');
  return {
    alias,
    hostname,
    port,
    user,
    identityFiles,
    identitiesOnly: yes(first('identitiesonly'), false),
    agentSocket,
    forwardAgent: yes(first('forwardagent'), false),
    password: o.password,
    passphrase: o.privateKeyPassphrase ?? o.password,
    methods,
    proxyJump: jump && jumpFirst && jump.toLowerCase() !== 'none' ? jump : undefined,
    proxyCommand: command && !jumpFirst && command.value.toLowerCase() !== 'none' ? expandTokens(command.value, tokens) : undefined,
    strict,
    userKnownHosts: knownList('userknownhostsfile', '~/.ssh/known_hosts ~/.ssh/known_hosts2'),
    globalKnownHosts: knownList('globalknownhostsfile', '/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2'),
    hashKnownHosts: yes(first('hashknownhosts'), false),
    hostKeyAlias: first('hostkeyalias'),
    serverAliveInterval: Number.parseInt(first('serveraliveinterval') ?? '0', 10) || 0,
    serverAliveCountMax: Number.parseInt(first('serveralivecountmax') ?? '3', 10) || 3,
    connectTimeout: Number.isNaN(connectTimeout) ? 10 : connectTimeout,
    attempts: Math.max(1, Number.parseInt(first('connectionattempts') ?? '1', 10) || 1) + Math.max(0, o.retries ?? 0),
    compression: false,
    family: family === 'inet' ? 4 : family === 'inet6' ? 6 : undefined,
    unhonoured,
  };
}

/** A ProxyJump hop ([user@]host[:port]) as the options of its own connection. */
export function jumpHopOptions(hop: string): ConnectionOptions {
  const m = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hop.trim());
  const host = (m?.[2] ?? hop).replace(/^\[|\]$/g, '');
  return { host, address: host, user: m?.[1], port: m?.[3] ? Number(m[3]) : undefined };
}

export { parseOptionText };
