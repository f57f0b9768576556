// apt, package and package_facts for real with a tiny .deb built here by dpkg-deb (no network).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execSync } from 'child_process';
import { aptModule } from './apt';
import { packageModule } from './package';
import { packageFactsModule, parseDpkgList } from './package-facts';
import { runModule } from './test-helpers';

const PKG = 'tsible-test-dummy';
const canDpkg = process.getuid?.() === 0 && fs.existsSync('/usr/bin/dpkg-deb');
let dir: string;
let deb: string;

const installed = (): boolean => execSync(`dpkg-query -W -f='\${Status}' ${PKG} 2>/dev/null || true`).toString().endsWith(' installed');

(canDpkg ? describe : describe.skip)('apt with a local .deb', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-apt-'));
    const root = path.join(dir, 'pkg');
    fs.mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
    fs.mkdirSync(path.join(root, 'usr/share/doc', PKG), { recursive: true });
    fs.writeFileSync(path.join(root, 'DEBIAN/control'), `Package: ${PKG}\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@t>\nSection: misc\nDescription: dummy\n`);
    fs.writeFileSync(path.join(root, 'usr/share/doc', PKG, 'README'), 'hi\n');
    deb = path.join(dir, `${PKG}_1.0_all.deb`);
    execSync(`dpkg-deb --build ${root} ${deb} >/dev/null`);
    execSync(`dpkg --purge ${PKG} >/dev/null 2>&1 || true`, { shell: '/bin/sh' });
  });
  afterAll(() => {
    execSync(`dpkg --purge ${PKG} >/dev/null 2>&1 || true`, { shell: '/bin/sh' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('deb: check, install, second run; present by name; package_facts; absent', async () => {
    const check = (await runModule(aptModule, { deb }, { check: true })).result;
    expect(check.changed).toBe(true);
    expect(installed()).toBe(false);
    const first = (await runModule(aptModule, { deb })).result;
    expect(first).toMatchObject({ changed: true, stderr: '' });
    expect(first.stdout).toContain(`Setting up ${PKG} (1.0)`);
    expect(installed()).toBe(true);
    expect((await runModule(aptModule, { deb })).result).toEqual({ changed: false, stderr: '', stderr_lines: [], stdout: '', stdout_lines: [] });
    const present = (await runModule(aptModule, { name: PKG })).result;
    expect(present).toEqual({ changed: false, cache_updated: false, cache_update_time: expect.any(Number) });
    expect((await runModule(packageModule, { name: PKG, state: 'present' }, { facts: { pkg_mgr: 'apt' } })).result.changed).toBe(false);
    const facts = (await runModule(packageFactsModule, {})).result.ansible_facts as { packages: Record<string, unknown[]> };
    expect(facts.packages[PKG]).toEqual([{ arch: 'all', category: 'misc', name: PKG, origin: '', source: 'apt', version: '1.0' }]);
    const absentCheck = (await runModule(aptModule, { name: PKG, state: 'absent' }, { check: true })).result;
    expect(absentCheck.changed).toBe(true);
    expect(absentCheck.stdout).toContain(`Remv ${PKG} [1.0]`);
    expect(installed()).toBe(true);
    expect((await runModule(aptModule, { name: PKG, state: 'absent', purge: true })).result.changed).toBe(true);
    expect(installed()).toBe(false);
    expect((await runModule(aptModule, { name: PKG, state: 'absent' })).result).toEqual({ changed: false });
  }, 240000);

  test('unknown package fails with Ansible message', async () => {
    expect((await runModule(aptModule, { name: 'tsible-no-such-package-xyz' })).result).toEqual({
      failed: true, changed: false, msg: "No package matching 'tsible-no-such-package-xyz' is available",
    });
  }, 60000);
});

test('parseDpkgList keeps installed packages only', () => {
  expect(parseDpkgList('install ok installed\ta\t1\tamd64\tutils\tDebian\ndeinstall ok config-files\tb\t2\tall\tmisc\t\n')).toEqual({
    a: [{ arch: 'amd64', category: 'utils', name: 'a', origin: 'Debian', source: 'apt', version: '1' }],
  });
});
