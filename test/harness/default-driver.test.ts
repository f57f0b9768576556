// `tsible test` end to end on the default (delegated) driver with the local connection:
// the sample role passes, idempotence and verify failures are named from structured results,
// steps run in separate invocations, scenarios run in parallel with a JUnit report, and
// Ctrl-C mid-converge leaves nothing behind.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { filesUnder, ROLES, sandbox, start, tsibleTest, waitFor, type Sandbox } from './support';

const SAMPLE = path.join(ROLES, 'sample');
const NONIDEM = path.join(ROLES, 'nonidem');
const NEEDS = path.join(ROLES, 'needs');

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.remove());

function leftovers(): string[] {
  return [...filesUnder(box.cache), ...fs.readdirSync(box.arena)];
}

test('the sample role passes its test sequence and leaves nothing behind', async () => {
  const r = await tsibleTest([], SAMPLE, box.env);
  expect(r.out).toContain('--> default ➜ idempotence');
  expect(r.out).toContain('Idempotence completed successfully.');
  // molecule-notest tasks never run
  expect(r.out).not.toContain('A task only for the real run');
  expect(r.out).toMatch(/sample\/default\s*│\s*passed/);
  expect(r.code).toBe(0);
  expect(leftovers()).toEqual([]);
});

test('a role that is not idempotent fails naming the task, role, file:line, host and diff', async () => {
  const r = await tsibleTest([], NONIDEM, box.env);
  expect(r.code).toBe(1);
  const tasks = path.join(NONIDEM, 'tasks', 'main.yml');
  expect(r.out).toContain('Idempotence test failed: 1 task result(s) changed on the second converge:');
  expect(r.out).toContain(`* [only] task 'Write a fresh token every run' of role 'nonidem' (${tasks}:7) changed`);
  expect(r.out).toMatch(/--- before: .*\/only\/token\n\s+\+\+\+ after: dynamically generated/);
  // the molecule-idempotence-notest task changes on the first converge only
  expect(r.out).not.toContain("'Always changes but is excused from idempotence'");
  expect(r.out).toMatch(/nonidem\/default\s*│\s*failed.*FAILED/);
  // the failure still destroyed the instances
  expect(leftovers()).toEqual([]);
});

test('a failing verify names the assert, its condition, the host and the msg', async () => {
  const r = await tsibleTest(['-s', 'verify-fails'], SAMPLE, box.env);
  expect(r.code).toBe(1);
  const verify = path.join(SAMPLE, 'molecule', 'verify-fails', 'verify.yml');
  for (const host of ['instance-a', 'instance-b']) {
    expect(r.out).toContain(`* [${host}] task 'The greeting is what the scenario promised' (${verify}:5) assert failed`);
  }
  expect(r.out).toContain("assertion: sample_greeting == 'bonjour'");
  expect(r.out).toContain('msg: greeting is hi from molecule, expected bonjour');
  expect(leftovers()).toEqual([]);
});

test('steps run in separate invocations from the state on disk; prepare runs once unless --force', async () => {
  const run = (args: string[]) => tsibleTest(args, SAMPLE, box.env);
  const env = { ...box.env, SAMPLE_GREETING: 'hello there' };
  expect((await tsibleTest(['create'], SAMPLE, env)).code).toBe(0);
  const prepared = path.join(box.arena, 'instance-a', 'prepare-runs');
  expect(fs.readFileSync(prepared, 'utf8')).toBe('prepared\n');
  const again = await run(['prepare']);
  expect(again.out).toContain('Skipping, instances already prepared.');
  expect((await run(['prepare', '--force'])).code).toBe(0);
  expect(fs.readFileSync(prepared, 'utf8')).toBe('prepared\nprepared\n');
  const list = await run(['list']);
  expect(list.out).toMatch(/instance-a\s*│\s*default\s*│\s*ansible\s*│\s*sample\/default\s*│\s*true\s*│\s*false/);
  const idem = await run(['idempotence']);
  expect(idem.code).toBe(1);
  expect(idem.out).toContain('Instances not converged. Please converge instances first.');
  expect((await run(['converge'])).code).toBe(0);
  // env substitution: ${SAMPLE_GREETING:-...} read at each invocation
  expect(fs.readFileSync(path.join(box.arena, 'instance-b', 'etc', 'sample', 'sample.conf'), 'utf8')).toContain('greeting = hi from molecule');
  expect((await run(['idempotence'])).code).toBe(0);
  expect((await run(['verify'])).code).toBe(0);
  expect((await run(['list'])).out).toMatch(/instance-b\s*│.*│\s*true\s*│\s*true/);
  expect((await run(['destroy'])).code).toBe(0);
  expect(leftovers()).toEqual([]);
});

test('-- ARGS reach the converge run as ansible-playbook arguments', async () => {
  await tsibleTest(['create'], SAMPLE, box.env);
  const r = await tsibleTest(['converge', '--', '-e', 'sample_port=7070', '--diff'], SAMPLE, box.env);
  expect(r.code).toBe(0);
  expect(r.out).toContain('+port = 7070');
  expect(fs.readFileSync(path.join(box.arena, 'instance-a', 'etc', 'sample', 'sample.conf'), 'utf8')).toContain('port = 7070');
  await tsibleTest(['destroy'], SAMPLE, box.env);
  expect(leftovers()).toEqual([]);
});

test('parallel scenarios of several roles keep their output apart and write a JUnit report', async () => {
  const junit = path.join(box.arena, '..', 'report.xml');
  const r = await tsibleTest(['-j', '2', '--junit', junit, SAMPLE, NONIDEM], ROLES, box.env);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/===== sample\/default: passed in [\d.]+s =====/);
  expect(r.out).toMatch(/===== nonidem\/default: failed in [\d.]+s =====/);
  // each block holds its own scenario's playbook output only
  const nonidemBlock = r.out.split('===== nonidem/default')[1]?.split('=====')[1] ?? '';
  expect(nonidemBlock).toContain('Write a fresh token every run');
  expect(nonidemBlock).not.toContain('sample_app : Write the configuration');
  const xml = fs.readFileSync(junit, 'utf8');
  expect(xml).toMatch(/<testsuite name="sample\/default"[^>]*failures="0"/);
  expect(xml).toMatch(/<testsuite name="nonidem\/default"[^>]*failures="1"/);
  expect(xml).toMatch(/<testcase classname="nonidem\/default" name="idempotence" time="[\d.]+">\s*<failure message="Idempotence test failed/);
  expect(xml).toContain('Write a fresh token every run');
  expect(leftovers()).toEqual([]);
});

test('Ctrl-C mid-converge destroys what the run created and ends every process', async () => {
  const { child, result } = start(['-s', 'interrupt'], SAMPLE, box.env);
  const sleeping = () => {
    try {
      return execFileSync('pgrep', ['-f', 'sleep 47.25']).toString().trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  await waitFor(() => sleeping().length === 2, 60_000);
  expect(fs.readdirSync(box.arena).sort()).toEqual(['instance-a', 'instance-b']);
  child.kill('SIGINT');
  const r = await result;
  expect(r.code).toBe(99);
  expect(r.out).toContain('interrupted; destroying what this run created');
  expect(r.out).toMatch(/sample\/interrupt\s*│\s*interrupted/);
  expect(sleeping()).toEqual([]);
  expect(leftovers()).toEqual([]);
});

test('dependency: requirements not installed are named, with no network to Galaxy; unknown keys are warned', async () => {
  const r = await tsibleTest(['dependency'], NEEDS, { ...box.env, ANSIBLE_ROLES_PATH: ROLES });
  expect(r.code).toBe(1);
  const file = path.join(NEEDS, 'molecule', 'default', 'molecule.yml');
  expect(r.out).toContain(`[WARNING]: ${file}:9: unknown key 'platforms[0].imagee'`);
  expect(r.out).toContain(`[WARNING]: ${file}:12: unknown key 'provisioner.optionz'`);
  expect(r.out).toContain('there is no network access to Ansible Galaxy here');
  expect(r.out).toMatch(/roles missing from the roles path \([^)]*\): geerlingguy\.tsible_absent_role, acme\.widget\n/);
  expect(r.out).toContain('collections not installed: acme.absent_collection\n');
  expect(leftovers()).toEqual([]);
});
