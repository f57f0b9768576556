// sysctl against a sysctl_file in a temp dir (live kernel values only read, or re-set to their current value).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execSync } from 'child_process';
import { sysctlModule, planSysctlFile, normalizeSysctlValue } from './sysctl';
import { runModule } from './test-helpers';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-sysctl-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('planSysctlFile rewrites settings as key=value, strips lines and keeps comments', () => {
  expect(planSysctlFile('# c\nkernel.foo = 1\nvm.swappiness = 5\n', 'vm.swappiness', '7', true)).toEqual({
    content: '# c\nkernel.foo=1\nvm.swappiness=7\n', fileValue: '5',
  });
  // Keys are compared as written (no slash/dot folding); the last duplicate's value is the file value.
  expect(planSysctlFile('vm/swappiness=5\n', 'vm.swappiness', '', false)).toEqual({ content: 'vm/swappiness=5\n' });
  expect(planSysctlFile('  # x\na=1\na=2\n', 'a', '', false)).toEqual({ content: '# x\n', fileValue: '2' });
  expect(planSysctlFile('', 'a.b', '1', true)).toEqual({ content: 'a.b=1\n' });
  expect(normalizeSysctlValue('Yes')).toBe('1');
  expect(normalizeSysctlValue(' yes ')).toBe('yes'); // Ansible folds booleans before stripping
  expect(normalizeSysctlValue(' 4096\t87380   6291456 ')).toBe('4096\t87380   6291456');
});

test('file: check, first run, second run, absent', async () => {
  const file = path.join(dir, 's.conf');
  const base = { name: 'vm.swappiness', value: '10', sysctl_file: file, reload: false };
  expect((await runModule(sysctlModule, base, { check: true })).result).toEqual({ changed: true });
  expect(fs.existsSync(file)).toBe(false);
  expect((await runModule(sysctlModule, base)).result).toEqual({ changed: true });
  expect(fs.readFileSync(file, 'utf8')).toBe('vm.swappiness=10\n');
  expect((await runModule(sysctlModule, base)).result).toEqual({ changed: false });
  expect((await runModule(sysctlModule, { ...base, value: 'yes' })).result).toEqual({ changed: true });
  expect(fs.readFileSync(file, 'utf8')).toBe('vm.swappiness=1\n');
  expect((await runModule(sysctlModule, { name: 'vm.swappiness', state: 'absent', sysctl_file: file, reload: false })).result).toEqual({ changed: true });
  expect(fs.readFileSync(file, 'utf8')).toBe('');
  const none = path.join(dir, 'none.conf');
  expect((await runModule(sysctlModule, { name: 'x.y', state: 'absent', sysctl_file: none })).result).toEqual({ changed: false });
  expect(fs.existsSync(none)).toBe(false);
});

test('missing value is a parameter error', async () => {
  await expect(runModule(sysctlModule, { name: 'vm.swappiness' })).rejects.toThrow('state is present but all of the following are missing: value');
});

const isRoot = process.getuid?.() === 0;
(isRoot ? test : test.skip)('reload and sysctl_set on the live kernel with its current value; bad keys fail', async () => {
  const current = execSync('sysctl -n vm.swappiness').toString().trim();
  const file = path.join(dir, 'live.conf');
  const r = await runModule(sysctlModule, { name: 'vm.swappiness', value: current, sysctl_file: file, sysctl_set: true });
  expect(r.result).toEqual({ changed: true });
  expect((await runModule(sysctlModule, { name: 'vm.swappiness', value: current, sysctl_file: file, sysctl_set: true })).result).toEqual({ changed: false });
  const bad = await runModule(sysctlModule, { name: 'no.such.key', value: '1', sysctl_file: path.join(dir, 'b.conf') });
  expect(bad.result).toEqual({ changed: false, failed: true, msg: 'Failed to reload sysctl: sysctl: cannot stat /proc/sys/no/such/key: No such file or directory\n' });
  const badSet = await runModule(sysctlModule, { name: 'no.such.key', value: '1', sysctl_file: path.join(dir, 'c.conf'), sysctl_set: true });
  expect(badSet.result).toEqual({ changed: false, failed: true, msg: 'setting no.such.key failed: sysctl: cannot stat /proc/sys/no/such/key: No such file or directory\n' });
});
