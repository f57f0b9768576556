// The CLI through main() with an injected runPlaybook: real temp files, real ansible.cfg,
// expectations measured with ansible-playbook 2.14.
import type { TestOptions } from '../testing/types';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunOptions } from '../api/types';
import { TsibleError } from '../errors';
import { DefaultReporter, JsonReporter } from '../reporting';
import type { Reporter } from '../reporting/types';
import { parseArgv } from './args';
import { isVaultedExtraVars, loadExtraVars, parseKv } from './extravars';
import { main, type CliDeps } from './main';
import { HELP, USAGE } from './usage';

class Capture {
  text = '';
  constructor(public isTTY = false) {}
  write(s: string): void {
    this.text += s;
  }
}

let tmp: string;
let home: string;
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-cli-')));
  home = path.join(tmp, 'home');
  fs.mkdirSync(home);
  fs.writeFileSync(path.join(tmp, 'site.yml'), '- hosts: all\n  tasks: []\n');
  fs.chmodSync(tmp, 0o755);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string;
  err: string;
  options?: RunOptions;
  reporter?: Reporter;
}

async function run(argv: string[], extra: Partial<CliDeps> & { result?: number | Error } = {}): Promise<Run> {
  const out = new Capture();
  const err = new Capture();
  const seen: { options?: RunOptions; reporter?: Reporter } = {};
  const code = await main(argv, {
    runPlaybook: async (options, reporter) => {
      seen.options = options;
      seen.reporter = reporter;
      if (extra.result instanceof Error) throw extra.result;
      return { exitCode: extra.result ?? 0 };
    },
    env: { HOME: home },
    cwd: tmp,
    stdout: out,
    stderr: err,
    ...extra,
  });
  return { code, out: out.text, err: err.text, ...seen };
}

describe('argv parsing (argparse semantics)', () => {
  test('flags, counts, bundles, attached values, abbreviations', () => {
    const r = parseArgv(['-vv', '-v', 'a.yml', '-f3', '--forks=4', '-bK', '--list-ho', '-e', 'x=1', '-ey=2', 'b.yml', '--check']);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.args.playbooks).toEqual(['a.yml', 'b.yml']);
    expect(r.args.values).toMatchObject({ verbosity: 3, forks: 4, become: true, become_ask_pass: true, listhosts: true, extra_vars: ['x=1', 'y=2'], check: true });
  });

  test('errors worded as ansible-playbook', () => {
    const msg = (argv: string[]): string => {
      const r = parseArgv(argv);
      return r.kind === 'error' ? r.message : r.kind;
    };
    expect(msg([])).toBe('the following arguments are required: playbook');
    expect(msg(['--bogus'])).toBe('the following arguments are required: playbook');
    expect(msg(['x.yml', '--bogus', '--zz'])).toBe('unrecognized arguments: --bogus --zz');
    expect(msg(['x.yml', '-Z'])).toBe('unrecognized arguments: -Z');
    expect(msg(['-t'])).toBe('argument -t/--tags: expected one argument');
    expect(msg(['x.yml', '--forks', 'abc'])).toBe("argument -f/--forks: invalid int value: 'abc'");
    expect(msg(['x.yml', '-K', '--become-password-file', 'x'])).toBe('argument --become-password-file/--become-pass-file: not allowed with argument -K/--ask-become-pass');
    expect(msg(['x.yml', '--li'])).toBe('ambiguous option: --li could match --list-hosts, --limit, --list-tasks, --list-tags');
    expect(msg(['x.yml', '-h'])).toBe('help');
    expect(msg(['--version'])).toBe('version');
  });
});

describe('extra vars', () => {
  test('parse_kv matches Ansible on measured cases', () => {
    const cases = JSON.parse(fs.readFileSync(path.join(__dirname, '../../test/fixtures/output/python-parse_kv.json'), 'utf8')) as [string, Record<string, string>][];
    for (const [text, expected] of cases) expect(parseKv(text)).toEqual(expected);
  });

  test('@file (YAML and JSON), inline JSON/YAML, errors', () => {
    fs.writeFileSync(path.join(tmp, 'ev.json'), '{"a": 1}');
    fs.writeFileSync(path.join(tmp, 'ev.yml'), 'b: [1, 2]\nc: yes\n');
    expect(loadExtraVars('@ev.json', tmp)).toEqual({ a: 1 });
    expect(loadExtraVars('@ev.yml', tmp)).toEqual({ b: [1, 2], c: true });
    expect(loadExtraVars('{"d": {"e": 1}}', tmp)).toEqual({ d: { e: 1 } });
    expect(loadExtraVars('f: yes', tmp)).toEqual({ _raw_params: 'f: yes' });
    expect(() => loadExtraVars('[1,2]', tmp)).toThrow("Invalid extra vars data supplied. '[1,2]' could not be made into a dictionary");
    expect(() => loadExtraVars('@nofile.yml', tmp)).toThrow(`Could not find or access '${tmp}/nofile.yml' on the Ansible Controller.`);
    fs.writeFileSync(path.join(tmp, 'v.yml'), '$ANSIBLE_VAULT;1.1;AES256\n6162\n');
    // a vault-encrypted file needs the vault secrets (read by the CLI before it is loaded)
    expect(isVaultedExtraVars('@v.yml', tmp)).toBe(true);
    expect(isVaultedExtraVars('@ev.yml', tmp)).toBe(false);
    expect(() => loadExtraVars('@v.yml', tmp)).toThrow('Attempting to decrypt but no vault secrets found');
  });
});

describe('main', () => {
  test('builds RunOptions and exits with the run result', async () => {
    fs.writeFileSync(path.join(tmp, 'ansible.cfg'), '[defaults]\nforks = 9\ninventory = hosts\n[privilege_escalation]\nbecome_user = admin\n');
    const r = await run(['site.yml', '-i', 'inv', '-i', 'a,b', '-t', 'x, y', '-t', 'z', '--skip-tags', 's', '-e', 'k=v', '-C', '-D', '-l', 'web', '-u', 'bob', '--start-at-task', 'T'], { result: 2 });
    expect(r.code).toBe(2);
    expect(r.options).toMatchObject({
      playbooks: ['site.yml'],
      inventories: [path.join(tmp, 'inv'), 'a,b'],
      tags: ['x', 'y', 'z'],
      skipTags: ['s'],
      extraVars: [{ k: 'v' }],
      check: true,
      diff: true,
      forks: 9,
      limit: ['web'],
      remoteUser: 'bob',
      becomeUser: 'admin',
      startAtTask: 'T',
      verbosity: 0,
    });
    expect(r.options?.config.inventory).toEqual([path.join(tmp, 'hosts')]);
    expect(r.reporter).toBeInstanceOf(DefaultReporter);
  });

  test('--json and stdout_callback=json pick the JSON reporter', async () => {
    expect((await run(['site.yml', '--json'])).reporter).toBeInstanceOf(JsonReporter);
    const r = await run(['site.yml'], { env: { HOME: home, ANSIBLE_STDOUT_CALLBACK: 'json' } });
    expect(r.reporter).toBeInstanceOf(JsonReporter);
  });

  test('usage errors: usage, error line, full help; exit 2', async () => {
    const r = await run(['site.yml', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${USAGE}tsible: error: unrecognized arguments: --bogus\n \n${HELP}`);
    expect(r.out).toBe('');
    const f = await run(['site.yml', '-f', '0']);
    expect(f.err).toBe(`${USAGE}tsible: error: The number of processes (--forks) must be >= 1\n`);
    expect(f.code).toBe(2);
  });

  test('help and version', async () => {
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toBe(HELP);
    expect(h.out).toContain('--json');
    const v = await run(['--version']);
    expect(v.out).toMatch(/^tsible \d+\.\d+\.\d+\n {2}config file = None\n/);
    expect(v.out).toContain(`  node version = ${process.version.slice(1)}`);
  });

  test('missing playbook: ERROR! ... could not be found, exit 1', async () => {
    const r = await run(['nothere.yml']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('ERROR! the playbook: nothere.yml could not be found\n');
    expect(r.options).toBeUndefined();
    fs.mkdirSync(path.join(tmp, 'dir.yml'));
    expect((await run(['dir.yml'])).err).toBe('ERROR! the playbook: dir.yml does not appear to be a file\n');
  });

  test('TsibleError from the run: formatted with its exit code', async () => {
    const r = await run(['site.yml'], { result: new TsibleError('PARSE', 'bad playbook') });
    expect(r.code).toBe(4);
    expect(r.err).toBe('ERROR! bad playbook\n');
  });

  test('unexpected exception: exit 250, traceback only with -vvv', async () => {
    const r = await run(['site.yml'], { result: new Error('boom') });
    expect(r.code).toBe(250);
    expect(r.err).toBe('ERROR! Unexpected Exception, this is probably a bug: boom\n');
    expect(r.out).toBe('to see the full traceback, use -vvv\n');
    const v = await run(['site.yml', '-vvv'], { result: new Error('boom') });
    expect(v.out).toContain('the full traceback was:\n\nError: boom\n    at ');
  });

  test('-v prints the config file line; -vv the version block', async () => {
    expect((await run(['site.yml', '-v'])).out).toBe('No config file found; using defaults\n');
    fs.writeFileSync(path.join(tmp, 'ansible.cfg'), '[defaults]\n');
    const r = await run(['site.yml', '-vv']);
    expect(r.out).toMatch(new RegExp(`^tsible .*\\n {2}config file = ${tmp}/ansible.cfg\\n[\\s\\S]*Using ${tmp}/ansible.cfg as config file\\n$`));
  });

  test('Ctrl-C: " [ERROR]: User interrupted execution" and exit 99', async () => {
    let handler: (() => void) | undefined;
    let exitCode: number | undefined;
    const r = await run(['site.yml'], { onInterrupt: (h) => (handler = h), exit: (c) => (exitCode = c) });
    expect(r.code).toBe(0);
    const err = new Capture();
    await main(['site.yml'], {
      runPlaybook: async () => {
        handler?.();
        return { exitCode: 0 };
      },
      env: { HOME: home },
      cwd: tmp,
      stdout: new Capture(),
      stderr: err,
      onInterrupt: (h) => (handler = h),
      exit: (c) => (exitCode = c),
    });
    expect(err.text).toBe(' [ERROR]: User interrupted execution\n');
    expect(exitCode).toBe(99);
  });

  test('-K: prompts on a terminal, fails without one; --become-password-file', async () => {
    const prompts: string[] = [];
    const r = await run(['site.yml', '-K'], { readSecret: async (p) => (prompts.push(p), 's3cret') });
    expect(prompts).toEqual(['BECOME password: ']);
    expect(r.options?.extraVars).toEqual([{ ansible_become_password: 's3cret' }]);
    const n = await run(['site.yml', '-K']);
    expect(n.code).toBe(1);
    expect(n.err).toMatch(/^ERROR! .*terminal/);
    fs.writeFileSync(path.join(tmp, 'pw'), 'filepw\n');
    expect((await run(['site.yml', '--become-password-file', 'pw'])).options?.extraVars).toEqual([{ ansible_become_password: 'filepw' }]);
  });

  test('"tsible test" goes to the harness with its own options; --help lists its commands', async () => {
    let given: TestOptions | undefined;
    const r = await run(['test', 'verify', 'roles/x', '-s', 'docker', '--', '-vv'], {
      runTests: async (options) => {
        given = options;
        return { exitCode: 1, scenarios: [] };
      },
    });
    expect(r.code).toBe(1);
    expect(given).toMatchObject({ command: 'verify', roleDirs: ['roles/x'], scenario: 'docker', ansibleArgs: ['-vv'], cwd: tmp });
    const help = await run(['test', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('idempotence         converge again');
    const bad = await run(['test', '--destroy=maybe']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("tsible test: error: argument --destroy: invalid choice: 'maybe'");
  });

  test('colour: on for a TTY, off with NO_COLOR', async () => {
    const tty = new Capture(true);
    const r = await main(['nothere.yml'], { runPlaybook: async () => ({ exitCode: 0 }), env: { HOME: home }, cwd: tmp, stdout: tty, stderr: tty });
    expect(r).toBe(1);
    expect(tty.text).toBe('\x1b[0;31mERROR! the playbook: nothere.yml could not be found\x1b[0m\n');
    const plain = new Capture(true);
    await main(['nothere.yml'], { runPlaybook: async () => ({ exitCode: 0 }), env: { HOME: home, NO_COLOR: '1' }, cwd: tmp, stdout: plain, stderr: plain });
    expect(plain.text).toBe('ERROR! the playbook: nothere.yml could not be found\n');
  });
});
