// Settings from ansible.cfg and ANSIBLE_* variables (environment wins), with Ansible's defaults,
// its config file search order, and its path resolution (relative to the cfg file's directory).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AnsibleConfig } from '../api/types';
import { isDirectory, isReadableFile } from '../util/fs';
import { iniGet, parseIni, type IniFile } from './ini';

export { parseIni, iniGet } from './ini';

type Env = Record<string, string | undefined>;
type Kind = 'str' | 'bool' | 'int' | 'path' | 'pathlist' | 'pathspec';

interface Setting {
  section: string;
  key: string;
  env: string[];
  kind: Kind;
}

const SETTINGS = {
  inventory: { section: 'defaults', key: 'inventory', env: ['ANSIBLE_INVENTORY'], kind: 'pathlist' },
  rolesPath: { section: 'defaults', key: 'roles_path', env: ['ANSIBLE_ROLES_PATH'], kind: 'pathspec' },
  forks: { section: 'defaults', key: 'forks', env: ['ANSIBLE_FORKS'], kind: 'int' },
  remoteUser: { section: 'defaults', key: 'remote_user', env: ['ANSIBLE_REMOTE_USER'], kind: 'str' },
  hostKeyChecking: { section: 'defaults', key: 'host_key_checking', env: ['ANSIBLE_HOST_KEY_CHECKING'], kind: 'bool' },
  stdoutCallback: { section: 'defaults', key: 'stdout_callback', env: ['ANSIBLE_STDOUT_CALLBACK'], kind: 'str' },
  ansibleManaged: { section: 'defaults', key: 'ansible_managed', env: [], kind: 'str' },
  remotePort: { section: 'defaults', key: 'remote_port', env: ['ANSIBLE_REMOTE_PORT'], kind: 'int' },
  privateKeyFile: { section: 'defaults', key: 'private_key_file', env: ['ANSIBLE_PRIVATE_KEY_FILE'], kind: 'path' },
  timeout: { section: 'defaults', key: 'timeout', env: ['ANSIBLE_TIMEOUT'], kind: 'int' },
  gathering: { section: 'defaults', key: 'gathering', env: ['ANSIBLE_GATHERING'], kind: 'str' },
  forceHandlers: { section: 'defaults', key: 'force_handlers', env: ['ANSIBLE_FORCE_HANDLERS'], kind: 'bool' },
  anyErrorsFatal: { section: 'defaults', key: 'any_errors_fatal', env: ['ANSIBLE_ANY_ERRORS_FATAL'], kind: 'bool' },
  displaySkippedHosts: { section: 'defaults', key: 'display_skipped_hosts', env: ['ANSIBLE_DISPLAY_SKIPPED_HOSTS'], kind: 'bool' },
  displayOkHosts: { section: 'defaults', key: 'display_ok_hosts', env: ['ANSIBLE_DISPLAY_OK_HOSTS'], kind: 'bool' },
  noColor: { section: 'defaults', key: 'nocolor', env: ['ANSIBLE_NOCOLOR', 'NO_COLOR'], kind: 'bool' },
  become: { section: 'privilege_escalation', key: 'become', env: ['ANSIBLE_BECOME'], kind: 'bool' },
  becomeUser: { section: 'privilege_escalation', key: 'become_user', env: ['ANSIBLE_BECOME_USER'], kind: 'str' },
  becomeMethod: { section: 'privilege_escalation', key: 'become_method', env: ['ANSIBLE_BECOME_METHOD'], kind: 'str' },
  becomeAsk: { section: 'privilege_escalation', key: 'become_ask_pass', env: ['ANSIBLE_BECOME_ASK_PASS'], kind: 'bool' },
  sshHostKeyChecking: { section: 'ssh_connection', key: 'host_key_checking', env: ['ANSIBLE_SSH_HOST_KEY_CHECKING'], kind: 'bool' },
  sshArgs: { section: 'ssh_connection', key: 'ssh_args', env: ['ANSIBLE_SSH_ARGS'], kind: 'str' },
  sshCommonArgs: { section: 'ssh_connection', key: 'ssh_common_args', env: ['ANSIBLE_SSH_COMMON_ARGS'], kind: 'str' },
  sshExtraArgs: { section: 'ssh_connection', key: 'ssh_extra_args', env: ['ANSIBLE_SSH_EXTRA_ARGS'], kind: 'str' },
  sshRetries: { section: 'ssh_connection', key: 'retries', env: ['ANSIBLE_SSH_RETRIES'], kind: 'int' },
  sshTimeout: { section: 'defaults', key: 'timeout', env: ['ANSIBLE_TIMEOUT', 'ANSIBLE_SSH_TIMEOUT'], kind: 'int' },
  callbacksEnabled: { section: 'defaults', key: 'callbacks_enabled', env: ['ANSIBLE_CALLBACKS_ENABLED'], kind: 'str' },
  callbackWhitelist: { section: 'defaults', key: 'callback_whitelist', env: ['ANSIBLE_CALLBACK_WHITELIST'], kind: 'str' },
} satisfies Record<string, Setting>;

/** Ansible's boolean(): these strings are true, everything else false. */
export function configBool(v: string): boolean {
  return ['y', 'yes', 'on', '1', 'true', 't'].includes(v.trim().toLowerCase());
}

function expandUser(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

/** Ansible's unfrackpath: ~ and $VARS expanded, relative paths made absolute against basedir. */
export function resolvePath(p: string, basedir: string, env: Env, home: string): string {
  const withVars = p.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => env[(a ?? b) as string] ?? whole);
  return path.resolve(basedir, expandUser(withVars, home));
}

/** ANSIBLE_CONFIG (a file or a directory holding ansible.cfg), ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg. */
export function findConfigFile(env: Env, cwd: string, home: string): string | undefined {
  const candidates: string[] = [];
  const fromEnv = env.ANSIBLE_CONFIG;
  if (fromEnv !== undefined) {
    const p = path.resolve(cwd, expandUser(fromEnv, home));
    candidates.push(isDirectory(p) ? path.join(p, 'ansible.cfg') : p);
  }
  // a world-writable cwd is skipped, as Ansible does (anyone could plant an ansible.cfg there)
  try {
    if ((fs.statSync(cwd).mode & 0o002) === 0) candidates.push(path.join(cwd, 'ansible.cfg'));
  } catch {
    // unreadable cwd: not a candidate
  }
  candidates.push(path.join(home, '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  return candidates.find((p) => isReadableFile(p));
}

function iniInt(ini: IniFile, section: string, key: string): number | undefined {
  const v = iniGet(ini, section, key);
  const n = v === undefined ? NaN : Number.parseInt(v, 10);
  return Number.isNaN(n) ? undefined : n;
}

export interface LoadConfigDeps {
  home?: string;
}

export function loadConfig(env: Env, cwd: string, deps: LoadConfigDeps = {}): AnsibleConfig {
  const home = deps.home ?? env.HOME ?? os.homedir();
  const configFile = findConfigFile(env, cwd, home);
  const ini: IniFile = configFile ? parseIni(fs.readFileSync(configFile, 'utf8'), configFile) : { sections: new Map() };
  const cfgDir = configFile ? path.dirname(configFile) : cwd;

  /** The raw value and the directory relative paths are resolved against. */
  const lookup = (s: Setting): { value: string; basedir: string } | undefined => {
    let found: { value: string; basedir: string } | undefined;
    const fromFile = iniGet(ini, s.section, s.key);
    if (fromFile !== undefined) found = { value: fromFile, basedir: cfgDir };
    // later environment names win, as in Ansible's config manager
    for (const name of s.env) {
      const v = env[name];
      if (v !== undefined) found = { value: v, basedir: cwd };
    }
    return found;
  };
  const str = (s: Setting, dflt: string): string => lookup(s)?.value ?? dflt;
  const bool = (s: Setting, dflt: boolean): boolean => {
    const v = lookup(s);
    return v === undefined ? dflt : configBool(v.value);
  };
  const int = (s: Setting, dflt: number): number => {
    const v = lookup(s);
    const n = v === undefined ? NaN : Number.parseInt(v.value, 10);
    return Number.isNaN(n) ? dflt : n;
  };
  const paths = (s: Setting, sep: string, dflt: string): string[] => {
    const v = lookup(s) ?? { value: dflt, basedir: cwd };
    return v.value
      .split(sep)
      .map((x) => x.trim())
      .filter((x) => x !== '')
      .map((x) => resolvePath(x, v.basedir, env, home));
  };

  const raw: Record<string, string> = {};
  for (const [section, entries] of ini.sections) for (const [k, v] of entries) raw[`${section}.${k}`] = v;

  const gathering = str(SETTINGS.gathering, 'implicit');
  const port = lookup(SETTINGS.remotePort);
  const key = lookup(SETTINGS.privateKeyFile);
  const remoteUser = lookup(SETTINGS.remoteUser);
  return {
    configFile,
    inventory: paths(SETTINGS.inventory, ',', '/etc/ansible/hosts'),
    rolesPath: paths(SETTINGS.rolesPath, ':', '~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles'),
    forks: int(SETTINGS.forks, 5),
    remoteUser: remoteUser?.value,
    hostKeyChecking: bool(SETTINGS.hostKeyChecking, true),
    stdoutCallback: str(SETTINGS.stdoutCallback, 'default'),
    become: bool(SETTINGS.become, false),
    becomeUser: str(SETTINGS.becomeUser, 'root'),
    becomeMethod: str(SETTINGS.becomeMethod, 'sudo'),
    becomeAsk: bool(SETTINGS.becomeAsk, false),
    ansibleManaged: str(SETTINGS.ansibleManaged, 'Ansible managed'),
    remotePort: port === undefined ? undefined : Number.parseInt(port.value, 10),
    privateKeyFile: key === undefined ? undefined : resolvePath(key.value, key.basedir, env, home),
    timeout: int(SETTINGS.timeout, 10),
    gathering: gathering === 'explicit' || gathering === 'smart' ? gathering : 'implicit',
    forceHandlers: bool(SETTINGS.forceHandlers, false),
    anyErrorsFatal: bool(SETTINGS.anyErrorsFatal, false),
    displaySkippedHosts: bool(SETTINGS.displaySkippedHosts, true),
    displayOkHosts: bool(SETTINGS.displayOkHosts, true),
    noColor: bool(SETTINGS.noColor, false),
    // [ssh_connection] host_key_checking wins over [defaults], as the ssh plugin reads it
    ...(lookup(SETTINGS.sshHostKeyChecking) ? { hostKeyChecking: bool(SETTINGS.sshHostKeyChecking, true) } : {}),
    ssh: {
      args: str(SETTINGS.sshArgs, '-C -o ControlMaster=auto -o ControlPersist=60s'),
      commonArgs: lookup(SETTINGS.sshCommonArgs)?.value,
      extraArgs: lookup(SETTINGS.sshExtraArgs)?.value,
      retries: int(SETTINGS.sshRetries, iniInt(ini, 'connection', 'retries') ?? 0),
    },
    callbacksEnabled: [str(SETTINGS.callbacksEnabled, ''), str(SETTINGS.callbackWhitelist, '')]
      .join(',')
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== ''),
    raw,
  };
}
