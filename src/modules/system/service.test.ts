// service (SysV path on this host, systemd path via facts) and service_facts, run for real
// against a throw-away init script under /etc/init.d.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serviceModule } from './service';
import { serviceFactsModule, parseStatusAll, parseSystemdUnits } from './service-facts';
import { runModule } from './test-helpers';

const SCRIPT = '/etc/init.d/tsible-svc-test';
const isRoot = process.getuid?.() === 0;
let stateFile: string;

beforeAll(() => {
  if (!isRoot) return;
  stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-svc-')), 'running');
  fs.writeFileSync(SCRIPT, `#!/bin/sh\ncase "$1" in\n start) touch ${stateFile};;\n stop) rm -f ${stateFile};;\n status) [ -e ${stateFile} ] && echo running;;\n *) exit 3;;\nesac\n`, { mode: 0o755 });
});
afterAll(() => {
  if (!isRoot) return;
  fs.rmSync(SCRIPT, { force: true });
  fs.rmSync(path.dirname(stateFile), { recursive: true, force: true });
});

const facts = { service_mgr: 'sysvinit' };
(isRoot ? describe : describe.skip)('service on SysV init scripts', () => {
  test('started: check, first, second; stopped; restarted', async () => {
    const base = { name: 'tsible-svc-test', state: 'started' };
    expect((await runModule(serviceModule, base, { check: true, facts })).result).toEqual({ changed: true, msg: 'service state changed' });
    expect(fs.existsSync(stateFile)).toBe(false);
    expect((await runModule(serviceModule, base, { facts })).result).toEqual({ changed: true, name: 'tsible-svc-test', state: 'started' });
    expect(fs.existsSync(stateFile)).toBe(true);
    expect((await runModule(serviceModule, base, { facts })).result).toEqual({ changed: false, name: 'tsible-svc-test', state: 'started' });
    const sf = (await runModule(serviceFactsModule, {})).result.ansible_facts as { services: Record<string, unknown> };
    expect(sf.services['tsible-svc-test']).toEqual({ name: 'tsible-svc-test', state: 'running', source: 'sysv' });
    expect((await runModule(serviceModule, { name: 'tsible-svc-test', state: 'restarted' }, { facts })).result.changed).toBe(true);
    expect((await runModule(serviceModule, { name: 'tsible-svc-test', state: 'stopped' }, { facts })).result).toEqual({ changed: true, name: 'tsible-svc-test', state: 'stopped' });
    expect(fs.existsSync(stateFile)).toBe(false);
  });
  test('missing service', async () => {
    expect((await runModule(serviceModule, { name: 'tsible-nosuch', state: 'started' }, { facts })).result).toEqual({
      failed: true, changed: false, msg: 'Could not find the requested service tsible-nosuch: host',
    });
  });
});

test('parsers', () => {
  expect(parseStatusAll(' [ - ]  dbus\n [ ? ]  hwclock.sh\n [ + ]  ssh\n')).toEqual({
    dbus: { name: 'dbus', state: 'stopped', source: 'sysv' }, ssh: { name: 'ssh', state: 'running', source: 'sysv' },
  });
  const units = 'cron.service loaded active running Regular background program\nfoo.service loaded failed failed Foo\n';
  const files = 'cron.service enabled enabled\nbar.service disabled enabled\n';
  expect(parseSystemdUnits(units, files)).toEqual({
    'cron.service': { name: 'cron.service', state: 'running', status: 'enabled', source: 'systemd' },
    'foo.service': { name: 'foo.service', state: 'failed', status: 'unknown', source: 'systemd' },
    'bar.service': { name: 'bar.service', state: 'inactive', status: 'disabled', source: 'systemd' },
  });
});
