// Python modules shipped next to a playbook (library/, a role's library/, ANSIBLE_LIBRARY, -M):
// run on the target the way Ansible runs a module (JSON arguments in a file, JSON result on
// stdout) with the target's Python. Opt-in by presence: only a task naming such a file uses Python.
import * as fs from 'fs';
import * as path from 'path';
import { shQuote } from '../connection/quote';
import { pythonInterpreter } from './common/python';
import { FIND_PYTHON } from '../facts/parse-python';
import type { ModuleContext, ModuleDef, ModuleResult } from './types';

/** The directories searched, most recently added first (a role's library/ is added as it loads). */
export class PythonLibrary {
  private readonly dirs: string[] = [];

  constructor(initial: string[] = []) {
    for (const d of initial) this.addDir(d);
  }

  addDir(dir: string): void {
    if (dir && dir !== '/dev/null' && !this.dirs.includes(dir)) this.dirs.push(dir);
  }

  /** The module file for a name (`name.py`, or a file `name` itself), if one of the directories has it. */
  find(name: string): string | undefined {
    if (!/^[A-Za-z0-9_]+$/.test(name)) return undefined;
    for (const dir of this.dirs) {
      for (const file of [path.join(dir, `${name}.py`), path.join(dir, name)]) {
        try {
          if (fs.statSync(file).isFile()) return file;
        } catch {
          // not here
        }
      }
    }
    return undefined;
  }

  /** A registry provider: library modules for names tsible does not ship. */
  provider(): (name: string) => ModuleDef | undefined {
    return (name) => {
      const short = name.replace(/^ansible\.legacy\./, '');
      const file = this.find(short);
      return file ? pythonModule(short, file) : undefined;
    };
  }
}

/** Arguments as the module reads them: AnsibleModule's wrapper, or plain JSON for WANT_JSON modules. */
function argsDocument(source: string, name: string, args: Record<string, unknown>, ctx: ModuleContext): string {
  if (/\bWANT_JSON\b/.test(source)) return JSON.stringify(args);
  return JSON.stringify({
    ANSIBLE_MODULE_ARGS: {
      ...args,
      _ansible_check_mode: ctx.check,
      _ansible_diff: ctx.diff,
      _ansible_verbosity: ctx.verbosity,
      _ansible_module_name: name,
      _ansible_no_log: false,
      _ansible_debug: false,
      _ansible_version: '2.14.18',
      _ansible_keep_remote_files: false,
      _ansible_string_conversion_action: 'warn',
      _ansible_selinux_special_fs: ['fuse', 'nfs', 'vboxsf', 'ramfs', '9p', 'vfat'],
      _ansible_syslog_facility: 'LOG_USER',
      _ansible_shell_executable: '/bin/sh',
    },
  });
}

/** Arguments of a module that is not Python: JSON with WANT_JSON, else Ansible's old-style `k=v` line. */
function oldStyleArgs(source: string, args: Record<string, unknown>): string {
  if (/\bWANT_JSON\b/.test(source)) return JSON.stringify(args);
  return Object.entries(args)
    .map(([k, v]) => `${k}=${shQuote(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join(' ');
}

/** The JSON document in the module's stdout (Ansible's _filter_non_json_lines: from the first `{` line). */
function parseOutput(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.trimStart().startsWith('{'));
  if (start < 0) return undefined;
  let end = lines.length;
  while (end > start && !lines[end - 1]?.trimEnd().endsWith('}')) end--;
  try {
    const v = JSON.parse(lines.slice(start, end).join('\n')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function pythonModule(name: string, file: string): ModuleDef {
  return {
    name,
    spec: {},
    acceptsAnyArgs: true,
    checkMode: true, // the module says itself whether it supports check mode
    async run(args, ctx): Promise<ModuleResult> {
      const source = fs.readFileSync(file, 'utf8');
      const shebang = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(source);
      const interpreter = shebang ? (path.basename(shebang[1] as string) === 'env' ? shebang[2] : shebang[1]) : undefined;
      const isPython = !interpreter || /python/.test(interpreter);
      const doc = isPython ? argsDocument(source, name, args, ctx) : oldStyleArgs(source, args);
      // the module's source on stdin, its arguments in a private temp file named on the command line;
      // a module in another language (a shell script) runs with the interpreter of its #! line.
      // Python: ansible_python_interpreter, else the one the facts report (/usr/bin/python3 first)
      const run = isPython
        ? `TSIBLE_PYTHON=${shQuote(pythonInterpreter(ctx) ?? 'auto')}; ${FIND_PYTHON}\n` +
          `[ -n "$py" ] || { echo 'no Python found on the target for this library module' >&2; exit 127; }\n` +
          `"$py" - "$_tsd/args"\n`
        : `cat > "$_tsd/module" && chmod 700 "$_tsd/module" && ${shQuote(interpreter as string)} "$_tsd/module" "$_tsd/args"\n`;
      // the arguments travel as stdin's first line (JSON has no raw newline), never in the command
      // line: -vvv traces show commands, and arguments may hold secrets (no_log options)
      // (an old-style k=v line whose values hold newlines stays in the command, as before)
      const viaStdin = !doc.includes('\n');
      const writeArgs = viaStdin ? `IFS= read -r _tsargs; printf '%s' "$_tsargs" > "$_tsd/args"; unset _tsargs` : `printf '%s' ${shQuote(doc)} > "$_tsd/args"`;
      const script = `_tsd=$(mktemp -d) || exit 1; trap 'rm -rf "$_tsd"' EXIT\n${writeArgs}\n` + run;
      const r = await ctx.conn.exec(script, { stdin: viaStdin ? `${doc}\n${source}` : source });
      const parsed = parseOutput(r.stdout);
      if (!parsed) {
        return {
          failed: true, changed: false, rc: r.rc, module_stdout: r.stdout, module_stderr: r.stderr,
          msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error',
        };
      }
      if (parsed.failed === undefined && r.rc !== 0) parsed.failed = true;
      return parsed as ModuleResult;
    },
  };
}
