// `tsible role`: the built CLI runs the fixture role greet (a dependency, a template, a handler,
// argument_specs) on the local connection; its output is ansible-playbook's for the one-play
// playbook it stands for, --hosts defaults to the README's groups, idempotence, --check --diff,
// failures and usage errors keep ansible-playbook's exit codes.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const TSIBLE = path.join(ROOT, 'dist', 'cli', 'main.js');
const HERE = __dirname;

let tmp: string;
let inventory: string;

interface Run {
  code: number;
  out: string;
  err: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = HERE): Run {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: undefined, ANSIBLE_HOST_KEY_CHECKING: 'False', ...env },
  });
  return { code: r.status ?? -1, out: r.stdout ?? '', err: r.stderr ?? '' };
}

const tsibleRole = (...args: string[]): Run => run(process.execPath, [TSIBLE, 'role', ...args]);
const recap = (out: string): string => out.slice(out.indexOf('PLAY RECAP'));
const outDir = (): string => path.join(tmp, 'out');

/** The playbook `tsible role greet` stands for, run by ansible-playbook. */
function ansibleEquivalent(hosts: string, args: string[]): Run {
  const pb = path.join(tmp, 'site.yml');
  fs.writeFileSync(pb, `- name: role greet\n  hosts: ${hosts}\n  gather_facts: true\n  roles:\n    - role: greet\n`);
  return run('ansible-playbook', ['-i', inventory, pb, ...args], { ANSIBLE_ROLES_PATH: path.join(HERE, 'roles') });
}

beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-role-cmd-')));
  inventory = path.join(tmp, 'hosts');
  const py = 'ansible_python_interpreter=/usr/bin/python3';
  fs.writeFileSync(inventory, `[greeters]\ng1 ansible_connection=local ${py}\n[others]\no1 ansible_connection=local ${py}\n`);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('runs the role (dependency, template, handler) on the groups its README names, as ansible-playbook runs the same play', () => {
  const first = tsibleRole('greet', '-i', inventory, '-e', `greet_dir=${outDir()}`);
  expect(first.err).toBe('');
  expect(first.code).toBe(0);
  expect(fs.readFileSync(path.join(outDir(), 'g1.txt'), 'utf8')).toBe('Hello world from g1 (Linux)\n');
  expect(fs.existsSync(path.join(outDir(), 'o1.txt'))).toBe(false);
  expect(fs.readFileSync(path.join(outDir(), 'handler.log'), 'utf8')).toBe('g1\n');

  const ref = ansibleEquivalent('greeters', ['-e', `greet_dir=${path.join(tmp, 'ref')}`]);
  expect(ref.code).toBe(0);
  expect(first.out).toBe(ref.out);

  const second = tsibleRole('greet', '-i', inventory, '-e', `greet_dir=${outDir()}`);
  expect(second.code).toBe(0);
  expect(recap(second.out)).toMatch(/g1 +: ok=4 +changed=0 +unreachable=0 +failed=0 +skipped=1/);
});

test('--hosts, -l, a role directory, --check --diff', () => {
  const check = tsibleRole(path.join('roles', 'greet'), '--hosts', 'all', '-l', 'o1', '-i', inventory, '-e', `greet_dir=${outDir()}`, '--check', '--diff');
  expect(check.code).toBe(0);
  expect(check.out).toContain(`+Hello world from o1 (Linux)`);
  expect(recap(check.out)).toBe(recap(ansibleEquivalent('all', ['-l', 'o1', '-e', `greet_dir=${outDir()}`, '--check', '--diff']).out));
  expect(recap(check.out)).not.toContain('g1');
  expect(fs.existsSync(outDir())).toBe(false);

  fs.mkdirSync(outDir()); // both hosts are this machine: they would race to create it
  const real = tsibleRole(path.join(HERE, 'roles', 'greet'), '--hosts=all', '-i', inventory, '-e', `greet_dir=${outDir()}`, '-e', 'greet_name=there');
  expect(real.code).toBe(0);
  expect(fs.readFileSync(path.join(outDir(), 'o1.txt'), 'utf8')).toBe('Hello there from o1 (Linux)\n');
  expect(fs.readFileSync(path.join(outDir(), 'handler.log'), 'utf8').split('\n').sort()).toEqual(['', 'g1', 'o1']);
});

test('a failing task exits 2, a missing role 1, a bad command line 2', () => {
  const failed = tsibleRole('greet', '-i', inventory, '-e', `greet_dir=${outDir()}`, '-e', 'greet_fail=true');
  expect(failed.code).toBe(2);
  expect(failed.out).toContain('fatal: [g1]: FAILED! => {"changed": false, "msg": "greet_fail is set"}');

  const missing = tsibleRole('nosuchrole', '-i', inventory);
  expect(missing.code).toBe(1);
  expect(missing.err).toContain("the role 'nosuchrole' was not found in");

  const noRole = tsibleRole('-i', inventory);
  expect(noRole.code).toBe(2);
  expect(noRole.err).toContain('tsible role: error: the following arguments are required: ROLE');

  const two = tsibleRole('greet', 'greet_base', '-i', inventory);
  expect(two.code).toBe(2);
  expect(two.err).toContain('unrecognized arguments: greet_base');

  const help = tsibleRole('--help');
  expect(help.code).toBe(0);
  expect(help.out).toContain('usage: tsible role ROLE -i INVENTORY [--hosts PATTERN]');
});

test('a role without a Hosts line runs on all hosts', () => {
  const all = tsibleRole('greet_base', '-i', inventory, '-e', `greet_base_dir=${outDir()}/{{ inventory_hostname }}`);
  expect(all.code).toBe(0);
  expect(recap(all.out)).toMatch(/g1 +: ok=2 +changed=1/);
  expect(recap(all.out)).toMatch(/o1 +: ok=2 +changed=1/);
  expect(fs.readdirSync(outDir()).sort()).toEqual(['g1', 'o1']);
});
