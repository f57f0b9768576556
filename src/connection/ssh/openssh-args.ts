// OpenSSH command-line arguments (ssh_args, ssh_common_args, ssh_extra_args) read as `ssh`
// reads them: -o Key=Value, -F, -i, -p, -J, -l and friends, in order (the first value wins).
import { shSplit } from '../quote';

export interface SshOption {
  /** Lower-case keyword, as OpenSSH compares them. */
  key: string;
  value: string;
}

export interface ParsedSshArgs {
  options: SshOption[];
  /** -F FILE: replaces ~/.ssh/config and /etc/ssh/ssh_config. */
  configFile?: string;
  /** What tsible does not act upon, as written (for one warning per run). */
  unhonoured: string[];
}

/** Options tsible acts upon (see settings.ts). */
export const HONOURED = new Set([
  'hostname', 'port', 'user', 'identityfile', 'identitiesonly', 'identityagent', 'proxyjump', 'proxycommand',
  'stricthostkeychecking', 'userknownhostsfile', 'globalknownhostsfile', 'hashknownhosts', 'hostkeyalias',
  'serveraliveinterval', 'serveralivecountmax', 'connecttimeout', 'connectionattempts', 'passwordauthentication',
  'pubkeyauthentication', 'kbdinteractiveauthentication', 'challengeresponseauthentication', 'preferredauthentications',
  'batchmode', 'addressfamily', 'forwardagent',
]);

/**
 * Options that only tune the OpenSSH client process itself and have no meaning for one
 * in-process connection kept for the whole run (multiplexing, logging, GSSAPI probing).
 */
export const WITHOUT_EFFECT = new Set([
  'controlmaster', 'controlpersist', 'controlpath', 'loglevel', 'checkhostip', 'gssapiauthentication',
  'gssapidelegatecredentials', 'tcpkeepalive', 'updatehostkeys', 'visualhostkey', 'hostbasedauthentication',
  'numberofpasswordprompts', 'verifyhostkeydns', 'escapechar',
  // -C (in Ansible's default ssh_args): ssh2's zlib writer throws once the socket is gone, and on
  // the networks tsible runs over compression costs more CPU than it saves; packets go uncompressed
  'compression',
]);

/** Short flags that take a value, and the ssh_config keyword each one sets (if any). */
const VALUE_FLAGS: Record<string, string | null> = {
  p: 'port', l: 'user', i: 'identityfile', J: 'proxyjump', F: null, o: null,
  b: 'bindaddress', c: 'ciphers', m: 'macs', D: 'dynamicforward', L: 'localforward', R: 'remoteforward',
  E: null, e: 'escapechar', I: 'pkcs11provider', O: null, Q: null, S: 'controlpath', W: null, w: 'tunneldevice', B: 'bindinterface',
};
/** Value-less flags: the keyword/value they set, or null when they change nothing here. */
const BOOL_FLAGS: Record<string, SshOption | null> = {
  C: { key: 'compression', value: 'yes' }, '4': { key: 'addressfamily', value: 'inet' }, '6': { key: 'addressfamily', value: 'inet6' },
  A: { key: 'forwardagent', value: 'yes' }, a: { key: 'forwardagent', value: 'no' }, q: null, v: null, T: null, n: null,
  x: null, X: { key: 'forwardx11', value: 'yes' }, Y: { key: 'forwardx11trusted', value: 'yes' }, t: { key: 'requesttty', value: 'yes' },
  N: { key: 'sessiontype', value: 'none' }, f: { key: 'forkafterauthentication', value: 'yes' }, g: { key: 'gatewayports', value: 'yes' },
  k: { key: 'gssapidelegatecredentials', value: 'no' }, K: { key: 'gssapiauthentication', value: 'yes' },
  M: { key: 'controlmaster', value: 'yes' }, s: { key: 'sessiontype', value: 'subsystem' }, G: null, V: null, P: null,
};

/** "Key=Value", "Key Value" or "Key = Value" (ssh_config's own line syntax). */
export function parseOptionText(text: string): SshOption | undefined {
  const m = /^\s*([A-Za-z0-9]+)\s*(?:=\s*|\s+)(.*)$/.exec(text);
  if (!m) return undefined;
  let value = (m[2] ?? '').trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return { key: (m[1] as string).toLowerCase(), value };
}

function addOption(out: ParsedSshArgs, opt: SshOption, asWritten: string): void {
  out.options.push(opt);
  if (!HONOURED.has(opt.key) && !WITHOUT_EFFECT.has(opt.key)) out.unhonoured.push(asWritten);
}

/** Parses one argument string (shell-quoted as Ansible splits it). */
export function parseSshArgs(text: string | undefined): ParsedSshArgs {
  const out: ParsedSshArgs = { options: [], unhonoured: [] };
  if (!text || !text.trim()) return out;
  const argv = shSplit(text);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-') || arg === '-') {
      out.unhonoured.push(arg);
      continue;
    }
    // bundled flags: -Ct, -qo Key=Value, -p2222
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j] as string;
      if (flag in VALUE_FLAGS) {
        const inline = arg.slice(j + 1);
        const value = inline !== '' ? inline : (argv[++i] ?? '');
        const shown = `-${flag} ${value}`;
        if (flag === 'o') {
          const opt = parseOptionText(value);
          if (opt) addOption(out, opt, value);
          else out.unhonoured.push(shown);
        } else if (flag === 'F') out.configFile = value;
        else if (flag === 'E') {
          /* ssh's log file: nothing to log here */
        } else {
          const key = VALUE_FLAGS[flag];
          if (key) addOption(out, { key, value }, shown);
          else out.unhonoured.push(shown);
        }
        break;
      }
      if (flag in BOOL_FLAGS) {
        const opt = BOOL_FLAGS[flag];
        if (opt) addOption(out, opt, `-${flag}`);
        continue;
      }
      out.unhonoured.push(`-${flag}`);
    }
  }
  return out;
}
