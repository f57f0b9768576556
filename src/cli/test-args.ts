// The command line of `tsible test` (Molecule's commands, one scenario runner): parsing into
// TestOptions and the --help text.
import * as os from 'os';
import { TEST_COMMANDS, type TestCommand, type TestOptions } from '../testing/types';

export const TEST_HELP = `usage: tsible test [COMMAND] [ROLE_DIR ...] [-s SCENARIO | --all] [--destroy always|never]
                   [-j N | --parallel] [--force] [--junit FILE] [-- ANSIBLE_PLAYBOOK_ARGS ...]

Tests Ansible roles with their Molecule scenarios (ROLE_DIR/molecule/<scenario>/molecule.yml),
unchanged. ROLE_DIR defaults to the current directory; several run side by side with -j.

commands:
  test (default)      the scenario's test_sequence: dependency, cleanup, destroy, syntax,
                      create, prepare, converge, idempotence, side_effect, verify, cleanup, destroy
  create              create_sequence: dependency, create, prepare
  prepare             run prepare.yml (once per instance; again with --force)
  converge            converge_sequence: dependency, create, prepare, converge
  idempotence         converge again; fails naming every task that changed (role, task,
                      file:line, host) with its diff
  verify              run verify.yml; fails naming the failed assert, host and msg
  side-effect         run side_effect.yml
  cleanup             run cleanup.yml
  destroy             destroy_sequence: dependency, cleanup, destroy
  check               check_sequence (converge with --check)
  syntax              converge.yml with --syntax-check
  dependency          check the scenario's requirements.yml against the roles path
  login [HOST]        an interactive shell on an instance
  list                the instances of each scenario and their state
  reset               destroy what exists and forget the scenario's state
  image build|ls|rm   the built-in base image (tsible test image --help)

options:
  -s, --scenario-name SCENARIO
                      the scenario to run (default: default)
  --all               every scenario of each ROLE_DIR
  --destroy always|never
                      always (default): destroy the instances at the end, on a failure and
                      on Ctrl-C; never: keep them
  -j, --jobs N        run N scenarios at once (each with its own instances and network)
  --parallel          as -j with one job per CPU
  --force             prepare even when already prepared
  --junit FILE        write a JUnit XML report
  --host HOST         login: the instance
  -h, --help          show this help message and exit
  -- ARGS             ansible-playbook arguments given to the playbook runs (e.g. -- -vvv -t x)
`;

export class TestUsageError extends Error {}

function isCommand(s: string): s is TestCommand {
  return (TEST_COMMANDS as readonly string[]).includes(s);
}

export type TestArgv = { kind: 'help' } | { kind: 'ok'; options: TestOptions };

/** Parses the arguments after `test`. */
export function parseTestArgv(argv: string[], cwd: string, color: boolean): TestArgv {
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const opts: TestOptions = {
    command: 'test', roleDirs: [], all: false, destroy: 'always', jobs: 1, force: false,
    ansibleArgs: dash >= 0 ? argv.slice(dash + 1) : [], color, cwd,
  };
  const positional: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const arg = own[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = own[++i];
      if (v === undefined) throw new TestUsageError(`argument ${name}: expected one argument`);
      return v;
    };
    switch (name) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '-s':
      case '--scenario-name':
      case '--scenario':
        opts.scenario = value();
        break;
      case '--all':
        opts.all = true;
        break;
      case '--destroy': {
        const v = value();
        if (v !== 'always' && v !== 'never') throw new TestUsageError(`argument --destroy: invalid choice: '${v}' (choose from 'always', 'never')`);
        opts.destroy = v;
        break;
      }
      case '-j':
      case '--jobs': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1) throw new TestUsageError(`argument -j/--jobs: invalid value: '${v}' (a number >= 1)`);
        opts.jobs = Number(v);
        break;
      }
      case '--parallel':
        opts.jobs = Math.max(2, os.cpus().length);
        break;
      case '--force':
      case '-f':
        opts.force = true;
        break;
      case '--junit':
        opts.junitFile = value();
        break;
      case '--host':
        opts.host = value();
        break;
      default:
        if (/^-j\d+$/.test(arg)) opts.jobs = Number(arg.slice(2));
        else if (arg.startsWith('-')) throw new TestUsageError(`unrecognized argument: ${arg}`);
        else positional.push(arg);
    }
  }
  if (opts.all && opts.scenario) throw new TestUsageError('argument --all: not allowed with argument -s/--scenario-name');
  const first = positional[0];
  if (first !== undefined && isCommand(first)) {
    opts.command = first;
    positional.shift();
  }
  if (opts.command === 'login' && !opts.host) {
    // login [ROLE_DIR] HOST
    if (positional.length) opts.host = positional.pop();
  }
  opts.roleDirs = positional;
  return { kind: 'ok', options: opts };
}
