// ansible-playbook's command line, parsed as its argparse parser does (abbreviated long options,
// bundled short flags, mutually exclusive groups, the same error messages).

type Kind = 'flag' | 'count' | 'value' | 'append' | 'int' | 'help' | 'version';

interface OptionSpec {
  names: string[];
  dest: string;
  kind: Kind;
  /** Mutually exclusive group id. */
  group?: string;
}

// In ansible-playbook's definition order (argparse reports ambiguous prefixes in this order).
const SPECS: OptionSpec[] = [
  { names: ['-h', '--help'], dest: 'help', kind: 'help' },
  { names: ['--version'], dest: 'version', kind: 'version' },
  { names: ['-v', '--verbose'], dest: 'verbosity', kind: 'count' },
  { names: ['--private-key', '--key-file'], dest: 'private_key_file', kind: 'value' },
  { names: ['-u', '--user'], dest: 'remote_user', kind: 'value' },
  { names: ['-c', '--connection'], dest: 'connection', kind: 'value' },
  { names: ['-T', '--timeout'], dest: 'timeout', kind: 'int' },
  { names: ['--ssh-common-args'], dest: 'ssh_common_args', kind: 'value' },
  { names: ['--sftp-extra-args'], dest: 'sftp_extra_args', kind: 'value' },
  { names: ['--scp-extra-args'], dest: 'scp_extra_args', kind: 'value' },
  { names: ['--ssh-extra-args'], dest: 'ssh_extra_args', kind: 'value' },
  { names: ['-k', '--ask-pass'], dest: 'ask_pass', kind: 'flag', group: 'conn_pass' },
  { names: ['--connection-password-file', '--conn-pass-file'], dest: 'connection_password_file', kind: 'value', group: 'conn_pass' },
  { names: ['--force-handlers'], dest: 'force_handlers', kind: 'flag' },
  { names: ['--flush-cache'], dest: 'flush_cache', kind: 'flag' },
  { names: ['-b', '--become'], dest: 'become', kind: 'flag' },
  { names: ['--become-method'], dest: 'become_method', kind: 'value' },
  { names: ['--become-user'], dest: 'become_user', kind: 'value' },
  { names: ['-K', '--ask-become-pass'], dest: 'become_ask_pass', kind: 'flag', group: 'become_pass' },
  { names: ['--become-password-file', '--become-pass-file'], dest: 'become_password_file', kind: 'value', group: 'become_pass' },
  { names: ['-t', '--tags'], dest: 'tags', kind: 'append' },
  { names: ['--skip-tags'], dest: 'skip_tags', kind: 'append' },
  { names: ['-C', '--check'], dest: 'check', kind: 'flag' },
  { names: ['-D', '--diff'], dest: 'diff', kind: 'flag' },
  { names: ['-i', '--inventory', '--inventory-file'], dest: 'inventory', kind: 'append' },
  { names: ['--list-hosts'], dest: 'listhosts', kind: 'flag' },
  { names: ['-l', '--limit'], dest: 'subset', kind: 'value' },
  { names: ['-e', '--extra-vars'], dest: 'extra_vars', kind: 'append' },
  { names: ['--vault-id'], dest: 'vault_ids', kind: 'append' },
  { names: ['--ask-vault-password', '--ask-vault-pass'], dest: 'ask_vault_pass', kind: 'flag', group: 'vault' },
  { names: ['--vault-password-file', '--vault-pass-file'], dest: 'vault_password_files', kind: 'append', group: 'vault' },
  { names: ['-f', '--forks'], dest: 'forks', kind: 'int' },
  { names: ['-M', '--module-path'], dest: 'module_path', kind: 'append' },
  { names: ['--syntax-check'], dest: 'syntax', kind: 'flag' },
  { names: ['--list-tasks'], dest: 'listtasks', kind: 'flag' },
  { names: ['--list-tags'], dest: 'listtags', kind: 'flag' },
  { names: ['--step'], dest: 'step', kind: 'flag' },
  { names: ['--start-at-task'], dest: 'start_at_task', kind: 'value' },
  { names: ['--json'], dest: 'json', kind: 'flag' },
];

export type ArgValue = boolean | number | string | string[];

export interface RawArgs {
  playbooks: string[];
  values: Record<string, ArgValue>;
}

export type ArgvParse =
  | { kind: 'ok'; args: RawArgs }
  | { kind: 'help' }
  | { kind: 'version' }
  /** argparse's error: usage, "tsible: error: msg", then the full help (exit 2). */
  | { kind: 'error'; message: string };

function displayName(spec: OptionSpec): string {
  return spec.names.join('/');
}

class ArgError extends Error {}

function findLong(arg: string): OptionSpec {
  const exact = SPECS.find((s) => s.names.includes(arg));
  if (exact) return exact;
  const matches: [OptionSpec, string][] = [];
  for (const s of SPECS) for (const n of s.names) if (n.startsWith('--') && n.startsWith(arg)) matches.push([s, n]);
  if (matches.length === 1) return (matches[0] as [OptionSpec, string])[0];
  if (matches.length > 1) throw new ArgError(`ambiguous option: ${arg} could match ${matches.map((m) => m[1]).join(', ')}`);
  throw new UnknownOption(arg);
}

class UnknownOption extends Error {}

function parseInt10(spec: OptionSpec, v: string): number {
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(v)) throw new ArgError(`argument ${displayName(spec)}: invalid int value: '${v}'`);
  return Number.parseInt(v.replace(/_/g, ''), 10);
}

/** argparse: an option's value may not look like another option. */
function looksLikeOption(v: string | undefined): boolean {
  return v === undefined || (v.startsWith('-') && v !== '-' && !/^-\d+$|^-\d*\.\d+$/.test(v));
}

export function parseArgv(argv: string[]): ArgvParse {
  const values: Record<string, ArgValue> = {};
  const playbooks: string[] = [];
  const unknown: string[] = [];
  const groupSeen = new Map<string, OptionSpec>();

  const store = (spec: OptionSpec, value: string | undefined): void => {
    if (spec.group) {
      const first = groupSeen.get(spec.group);
      if (first && first !== spec) throw new ArgError(`argument ${displayName(spec)}: not allowed with argument ${displayName(first)}`);
      groupSeen.set(spec.group, spec);
    }
    switch (spec.kind) {
      case 'flag':
        values[spec.dest] = true;
        return;
      case 'count':
        values[spec.dest] = (typeof values[spec.dest] === 'number' ? (values[spec.dest] as number) : 0) + 1;
        return;
      case 'int':
        values[spec.dest] = parseInt10(spec, value as string);
        return;
      case 'append': {
        const list = Array.isArray(values[spec.dest]) ? (values[spec.dest] as string[]) : [];
        list.push(value as string);
        values[spec.dest] = list;
        return;
      }
      default:
        values[spec.dest] = value as string;
    }
  };
  const takesValue = (spec: OptionSpec): boolean => ['value', 'append', 'int'].includes(spec.kind);

  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i] as string;
      if (arg === '--') {
        playbooks.push(...argv.slice(i + 1));
        break;
      }
      if (arg.startsWith('--')) {
        const eq = arg.indexOf('=');
        const name = eq >= 0 ? arg.slice(0, eq) : arg;
        let spec: OptionSpec;
        try {
          spec = findLong(name);
        } catch (e) {
          if (e instanceof UnknownOption) {
            unknown.push(arg);
            continue;
          }
          throw e;
        }
        if (spec.kind === 'help') return { kind: 'help' };
        if (spec.kind === 'version') return { kind: 'version' };
        if (!takesValue(spec)) {
          if (eq >= 0) throw new ArgError(`argument ${displayName(spec)}: ignored explicit argument '${arg.slice(eq + 1)}'`);
          store(spec, undefined);
          continue;
        }
        const value = eq >= 0 ? arg.slice(eq + 1) : argv[i + 1];
        if (eq < 0) {
          if (looksLikeOption(value)) throw new ArgError(`argument ${displayName(spec)}: expected one argument`);
          i++;
        }
        store(spec, value as string);
        continue;
      }
      if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
        // bundled short options: -vvv, -bK, -fVALUE, -f VALUE
        for (let j = 1; j < arg.length; j++) {
          const spec = SPECS.find((s) => s.names.includes(`-${arg[j]}`));
          if (!spec) {
            unknown.push(j === 1 ? arg : `-${arg.slice(j)}`);
            break;
          }
          if (spec.kind === 'help') return { kind: 'help' };
          if (spec.kind === 'version') return { kind: 'version' };
          if (!takesValue(spec)) {
            store(spec, undefined);
            continue;
          }
          const rest = arg.slice(j + 1);
          if (rest !== '') store(spec, rest.startsWith('=') ? rest.slice(1) : rest);
          else {
            const next = argv[i + 1];
            if (looksLikeOption(next)) throw new ArgError(`argument ${displayName(spec)}: expected one argument`);
            i++;
            store(spec, next as string);
          }
          break;
        }
        continue;
      }
      playbooks.push(arg);
    }
  } catch (e) {
    if (e instanceof ArgError) return { kind: 'error', message: e.message };
    throw e;
  }
  if (playbooks.length === 0) return { kind: 'error', message: 'the following arguments are required: playbook' };
  if (unknown.length > 0) return { kind: 'error', message: `unrecognized arguments: ${unknown.join(' ')}` };
  return { kind: 'ok', args: { playbooks, values } };
}
