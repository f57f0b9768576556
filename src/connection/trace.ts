// The -vvv connection lines as Ansible's ssh and local plugins print them: ESTABLISH, EXEC (the
// ssh command line Ansible would run, argument by argument), and the (rc, b'stdout', b'stderr') result.
import { shlexSplit } from '../util/shlex';
import type { ConnectionOptions } from './types';

/** Python's shlex.quote (the safe set is ASCII word characters and @%+=:,./-). */
export function pyShellQuote(arg: string): string {
  if (arg === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return "'" + arg.replace(/'/g, `'"'"'`) + "'";
}

/** Python's repr() of a bytes value: b'...' (b"..." when it holds ' and no "), escapes as Python writes them. */
export function pyBytesRepr(bytes: Buffer): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `b${quote}${out}${quote}`;
}

/** ssh's arguments as Ansible's _build_command orders them (without sshpass and ControlPath, which tsible has no use for). */
export function sshCommandArgs(o: ConnectionOptions, defaultTimeout = 10): string[] {
  const split = (text: string | undefined): string[] => (text ? shlexSplit(text, { comments: false }).map((a) => a.trim()) : []);
  const args = ['ssh', ...split(o.sshArgs)];
  if (o.hostKeyChecking === false) args.push('-o', 'StrictHostKeyChecking=no');
  if (o.port !== undefined) args.push('-o', `Port=${o.port}`);
  if (o.privateKeyFile) args.push('-o', `IdentityFile="${o.privateKeyFile}"`);
  if (!o.password) {
    args.push('-o', 'KbdInteractiveAuthentication=no', '-o', 'PreferredAuthentications=gssapi-with-mic,gssapi-keyex,hostbased,publickey', '-o', 'PasswordAuthentication=no');
  }
  if (o.user) args.push('-o', `User="${o.user}"`);
  args.push('-o', `ConnectTimeout=${o.timeoutSeconds ?? defaultTimeout}`);
  args.push(...split(o.sshCommonArgs), ...split(o.sshExtraArgs));
  return args;
}

/** What a no_log task shows instead of its command (the script may carry its arguments). */
export const CENSORED_COMMAND = '(the command of a no_log task is not shown)';

/** The lines of one command, for a host shown as `<addr>`. */
export class CommandTrace {
  constructor(
    private readonly addr: string,
    private readonly sink: (message: string) => void,
    private readonly censored: boolean,
  ) {}

  establishSsh(user: string | undefined): void {
    this.sink(`<${this.addr}> ESTABLISH SSH CONNECTION FOR USER: ${user ?? 'None'}`);
  }

  establishLocal(user: string): void {
    this.sink(`<${this.addr}> ESTABLISH LOCAL CONNECTION FOR USER: ${user}`);
  }

  /** `<addr> SSH: EXEC ssh ... addr '/bin/sh -c ...'` */
  sshExec(sshArgs: string[], command: string): void {
    const cmd = this.censored ? CENSORED_COMMAND : pyShellQuote(command);
    this.sink(`<${this.addr}> SSH: EXEC ${[...sshArgs, this.addr].map(pyShellQuote).join(' ')} ${cmd}`);
  }

  /** `<addr> EXEC /bin/sh -c '...'` (the local plugin). */
  localExec(script: string): void {
    this.sink(`<${this.addr}> EXEC ${this.censored ? CENSORED_COMMAND : `/bin/sh -c ${pyShellQuote(script)}`}`);
  }

  /** `<addr> (rc, b'stdout', b'stderr')`, or Ansible's no_log sentence. */
  result(rc: number, stdout: Buffer, stderr: Buffer): void {
    this.sink(
      this.censored
        ? `<${this.addr}> rc=${rc}, stdout and stderr censored due to no log`
        : `<${this.addr}> (${rc}, ${pyBytesRepr(stdout)}, ${pyBytesRepr(stderr)})`,
    );
  }
}
