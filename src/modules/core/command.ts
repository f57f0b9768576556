// command and shell: run a program (argv, or a line through /bin/sh) on the target,
// with creates/removes idempotence guards and Ansible's result shape.
import { shJoin, shQuote, shSplit } from '../../connection/quote';
import type { ArgSpec, ModuleContext, ModuleDef, ModuleResult } from '../types';
import { lines, pyDateTime, pyDelta } from './timing';

const commonSpec: ArgSpec = {
  _raw_params: { type: 'str' },
  _uses_shell: { type: 'bool', default: false },
  argv: { type: 'list', elements: 'str' },
  chdir: { type: 'path' },
  cmd: { type: 'str' },
  creates: { type: 'path' },
  removes: { type: 'path' },
  executable: { type: 'path' },
  stdin: { type: 'str' },
  stdin_add_newline: { type: 'bool', default: true },
  strip_empty_ends: { type: 'bool', default: true },
};

/** True when any path matching the glob exists on the target. */
async function globExists(ctx: ModuleContext, pattern: string): Promise<boolean> {
  const r = await ctx.conn.exec(`for p in ${pattern.replace(/([^*?[\]\w/.~-])/g, '\\$1')}; do [ -e "$p" ] || [ -L "$p" ] && exit 0; done; exit 1`);
  return r.rc === 0;
}

/** Ansible's run_command expands $VAR, ${VAR} and a leading ~ in each argument on the target
 *  (os.path.expandvars/expanduser): unset variables stay as written. */
function needsExpansion(arg: string): boolean {
  return /\$(\w|\{\w+\})/.test(arg) || arg === '~' || arg.startsWith('~/');
}

/** One argument as a double-quoted sh word: literal text escaped, variable references expanded
 *  with their own text as the fallback when unset ($__d holds a literal '$'). */
function expandedWord(arg: string): string {
  const dq = (s: string) => s.replace(/[\\"$`]/g, (c) => `\\${c}`);
  let rest = arg;
  let out = '"';
  if (rest === '~' || rest.startsWith('~/')) {
    out += '${HOME}';
    rest = rest.slice(1);
  }
  const re = /\$(?:(\w+)|\{(\w+)\})/g;
  let last = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    out += dq(rest.slice(last, m.index));
    out += m[1] !== undefined ? `\${${m[1]}-\${__d}${m[1]}}` : `\${${m[2]}-\${__d}{${m[2]}\\}}`;
    last = m.index + m[0].length;
  }
  return `${out}${dq(rest.slice(last))}"`;
}

function stripEnds(s: string, strip: boolean): string {
  return strip ? s.replace(/[\r\n]+$/, '') : s;
}

async function runCommand(args: Record<string, unknown>, ctx: ModuleContext, shell: boolean): Promise<ModuleResult> {
  const raw = (args.cmd as string | null) ?? (args._raw_params as string | null);
  const argv = args.argv as string[] | null;
  if (raw && argv) return { failed: true, changed: false, msg: 'only command or argv can be given, not both', rc: 256 };
  if (!raw && !argv) return { failed: true, changed: false, msg: 'no command given', rc: 256 };
  let script: string;
  let cmd: unknown;
  if (shell) {
    script = raw as string;
    cmd = script;
    // through its own sh, as Ansible does: its messages ("/bin/sh: 2: x: not found") and $LINENO
    const exe = (args.executable as string | null) ?? '/bin/sh';
    script = `${shQuote(exe)} -c ${shQuote(script)}`;
  } else {
    if (args.executable) ctx.warn(`As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${args.executable as string}'.`);
    let parts: string[];
    try {
      parts = argv ?? shSplit(raw as string);
    } catch (e) {
      return { failed: true, changed: false, msg: (e as Error).message, rc: 256 };
    }
    cmd = parts;
    script = parts.some(needsExpansion) ? `__d='$'; exec ${parts.map(expandedWord).join(' ')}` : 'exec ' + shJoin(parts);
  }
  const skipped = (msg: string, stdout: string): ModuleResult => ({
    changed: false, stdout, stderr: '', rc: 0, cmd, start: null, end: null, delta: null, msg,
    stdout_lines: lines(stdout), stderr_lines: [],
  });
  const creates = args.creates as string | null;
  const removes = args.removes as string | null;
  const shoulda = ctx.check ? 'Would' : 'Did';
  if (creates && (await globExists(ctx, creates))) return skipped(`${shoulda} not run command since '${creates}' exists`, `skipped, since ${creates} exists`);
  if (removes && !(await globExists(ctx, removes))) return skipped(`${shoulda} not run command since '${removes}' does not exist`, `skipped, since ${removes} does not exist`);
  if (ctx.check) {
    // creates/removes say the command would change something; without them it is skipped
    const r = skipped('Command would have run if not in check mode', '');
    if (!creates && !removes) r.skipped = true;
    else r.changed = true;
    return r;
  }
  let stdin = args.stdin as string | null;
  if (stdin !== null && args.stdin_add_newline) stdin += '\n';
  if (args.chdir) script = chdirScript(args.chdir as string) + script;
  const start = Date.now();
  const r = await ctx.conn.exec(script, { stdin: stdin ?? undefined });
  const end = Date.now();
  const chdirError = /^TSIBLE-CHDIR (.*)$/m.exec(r.stderr)?.[1];
  if (chdirError !== undefined && r.rc === 1) {
    return {
      failed: true, changed: false, stdout: '', stderr: '', rc: null, cmd, start: null, end: null, delta: null,
      msg: `Unable to change directory before execution: ${chdirError}: b'${args.chdir as string}'`,
    };
  }
  const strip = args.strip_empty_ends as boolean;
  const stdout = stripEnds(r.stdout, strip);
  const stderr = stripEnds(r.stderr, strip);
  if (!shell && r.rc === 127 && /not found|No such file/.test(r.stderr)) {
    const prog = Array.isArray(cmd) ? String(cmd[0]) : '';
    return { failed: true, changed: false, cmd, rc: 2, stdout: '', stderr: '', msg: `[Errno 2] No such file or directory: b'${prog}'`, stdout_lines: [], stderr_lines: [] };
  }
  const result: ModuleResult = {
    changed: true, stdout, stderr, rc: r.rc, cmd, start: pyDateTime(start), end: pyDateTime(end), delta: pyDelta(end - start),
    msg: r.rc !== 0 ? 'non-zero return code' : '', stdout_lines: lines(stdout), stderr_lines: lines(stderr),
  };
  if (r.rc !== 0) result.failed = true;
  return result;
}

/** cd into chdir first (physically, as os.chdir: $PWD has no symlinks); a failure says why in os.chdir's words (marker line on stderr). */
function chdirScript(dir: string): string {
  const q = shQuote(dir);
  return (
    `cd -P -- ${q} 2>/dev/null || { if [ ! -e ${q} ]; then _e='[Errno 2] No such file or directory'; ` +
    `elif [ ! -d ${q} ]; then _e='[Errno 20] Not a directory'; else _e='[Errno 13] Permission denied'; fi; ` +
    `printf 'TSIBLE-CHDIR %s\\n' "$_e" >&2; exit 1; }\n`
  );
}

export const commandModule: ModuleDef = {
  name: 'command',
  spec: commonSpec,
  freeForm: true,
  checkMode: true,
  run: (args, ctx) => runCommand(args, ctx, false),
};

export const shellModule: ModuleDef = {
  name: 'shell',
  spec: commonSpec,
  freeForm: true,
  checkMode: true,
  run: (args, ctx) => runCommand(args, ctx, true),
};
