// mount (fstab in a temp dir, real tmpfs mounts), hostname (unchanged name only) and modprobe.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execSync } from 'child_process';
import { mountModule, planFstab } from './mount';
import { hostnameModule } from './hostname';
import { modprobeModule } from './modprobe';
import { systemModules } from './index';
import { runModule } from './test-helpers';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-mount-'))));
afterEach(() => {
  execSync(`umount ${dir}/mnt 2>/dev/null; true`, { shell: '/bin/sh' });
  fs.rmSync(dir, { recursive: true, force: true });
});

const isMounted = (p: string): boolean => fs.readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === p);

test('planFstab adds, keeps, replaces and removes entries', () => {
  const e = { src: 'tmpfs', path: '/a b', fstype: 'tmpfs', opts: 'defaults', dump: '0', passno: '0' };
  expect(planFstab('# hdr\n', '/a b', e)).toEqual({ content: '# hdr\ntmpfs /a\\040b tmpfs defaults 0 0\n', changed: true });
  expect(planFstab('tmpfs /a\\040b tmpfs defaults 0 0\n', '/a b', e).changed).toBe(false);
  expect(planFstab('tmpfs /a\\040b tmpfs ro 0 0\n', '/a b', e)).toEqual({ content: 'tmpfs /a\\040b tmpfs defaults 0 0\n', changed: true });
  expect(planFstab('x /y ext4 defaults 0 0\ntmpfs /a\\040b tmpfs ro 0 0\n', '/a b', undefined)).toEqual({ content: 'x /y ext4 defaults 0 0\n', changed: true });
});

test('present/absent in a custom fstab', async () => {
  const fstab = path.join(dir, 'fstab');
  const args = { path: `${dir}/mnt`, src: 'tmpfs', fstype: 'tmpfs', state: 'present', fstab };
  expect((await runModule(mountModule, args, { check: true })).result.changed).toBe(true);
  // Ansible creates a missing fstab (empty) up front, even in check mode.
  expect(fs.readFileSync(fstab, 'utf8')).toBe('');
  expect((await runModule(mountModule, args)).result).toEqual({
    backup_file: '', boot: 'yes', changed: true, dump: '0', fstab, fstype: 'tmpfs', name: `${dir}/mnt`, opts: 'defaults', passno: '0', src: 'tmpfs',
  });
  expect(fs.readFileSync(fstab, 'utf8')).toBe(`tmpfs ${dir}/mnt tmpfs defaults 0 0\n`);
  expect((await runModule(mountModule, args)).result.changed).toBe(false);
  expect((await runModule(mountModule, { path: `${dir}/mnt`, state: 'absent', fstab })).result).toEqual({
    backup_file: '', boot: 'yes', changed: true, dump: '0', fstab, name: `${dir}/mnt`, opts: 'defaults', passno: '0',
  });
  expect(fs.readFileSync(fstab, 'utf8')).toBe('');
});

test('boot=no adds noauto unless opts has defaults or noauto (then it warns)', async () => {
  const fstab = path.join(dir, 'fstab');
  const base = { path: `${dir}/m`, src: 'tmpfs', fstype: 'tmpfs', state: 'present', fstab, boot: false };
  const withDefaults = (await runModule(mountModule, base, { check: true })).result;
  expect([withDefaults.opts, withDefaults.boot, withDefaults.warnings]).toEqual(['defaults', 'no', ["Ignore the 'boot' due to 'opts' contains 'defaults'."]]);
  const withRo = (await runModule(mountModule, { ...base, opts: 'ro' }, { check: true })).result;
  expect([withRo.opts, withRo.boot, withRo.warnings]).toEqual(['ro,noauto', 'no', undefined]);
  const withNoauto = (await runModule(mountModule, { ...base, opts: 'noauto' }, { check: true })).result;
  expect([withNoauto.opts, withNoauto.boot, withNoauto.warnings]).toEqual(['noauto', 'yes', ["Ignore the 'boot' due to 'opts' contains 'noauto'."]]);
});

const isRoot = process.getuid?.() === 0;
(isRoot ? test : test.skip)('mounted/unmounted for real with tmpfs', async () => {
  const fstab = path.join(dir, 'fstab');
  const mnt = `${dir}/mnt`;
  const args = { path: mnt, src: 'tmpfs', fstype: 'tmpfs', opts: 'size=1m', state: 'mounted', fstab };
  expect((await runModule(mountModule, args, { check: true })).result.changed).toBe(true);
  expect(isMounted(mnt)).toBe(false);
  expect((await runModule(mountModule, args)).result.changed).toBe(true);
  expect(isMounted(mnt)).toBe(true);
  expect((await runModule(mountModule, args)).result.changed).toBe(false);
  expect((await runModule(mountModule, { path: mnt, state: 'unmounted', fstab })).result.changed).toBe(true);
  expect(isMounted(mnt)).toBe(false);
  expect((await runModule(mountModule, { path: mnt, state: 'unmounted', fstab })).result.changed).toBe(false);
  await expect(runModule(mountModule, { path: mnt, state: 'mounted', fstab })).rejects.toThrow('state is mounted but all of the following are missing: src, fstype');
});

test('hostname with the current name is unchanged and reports name facts', async () => {
  const current = execSync('hostname').toString().trim();
  const r = (await runModule(hostnameModule, { name: current }, { check: true })).result;
  expect(r).toMatchObject({ changed: false, name: current, ansible_facts: { ansible_hostname: current.split('.')[0], ansible_nodename: current } });
  const other = (await runModule(hostnameModule, { name: 'tsible-other-name' }, { check: true })).result;
  expect(other).toMatchObject({ changed: true, name: 'tsible-other-name' });
  expect(execSync('hostname').toString().trim()).toBe(current);
});

test('modprobe without the binary fails like Ansible; registry has unique names', async () => {
  const have = execSync('command -v modprobe || true', { shell: '/bin/sh' }).toString().trim();
  const r = (await runModule(modprobeModule, { name: 'dummy' }, { check: true })).result;
  if (!have) expect(r.msg).toMatch(/^Failed to find required executable "modprobe" in paths: /);
  else expect(r.failed).toBeUndefined();
  const names = systemModules.map((m) => m.name);
  expect(new Set(names).size).toBe(names.length);
});
