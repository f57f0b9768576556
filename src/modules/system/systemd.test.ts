// systemd: planning as data (probe → actions/result), parsing of `systemctl show`, and real
// systemctl runs for what works without systemd as PID 1 (enable/disable/mask of unit files).
import * as fs from 'fs';
import { execSync } from 'child_process';
import { parseSystemctlShow, planSystemd, type UnitProbe, type SystemdArgs } from './systemd-plan';
import { systemdModule } from './systemd';
import { runModule } from './test-helpers';

const SHOW = [
  'Type=simple', 'Restart=no', 'MainPID=812',
  'ExecStart={ path=/usr/sbin/cron ; argv[]=/usr/sbin/cron -f $EXTRA_OPTS ; ignore_errors=no ;',
  '  start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }',
  'Description={weird description', 'LoadState=loaded', 'ActiveState=active', 'SubState=running', 'UnitFileState=enabled', '',
].join('\n');

const probe = (over: Partial<UnitProbe> = {}): UnitProbe => ({
  showRc: 0, showOut: SHOW, showErr: '', enabledRc: 0, enabledOut: 'enabled', stateOut: 'enabled', listRc: 0, initScript: false, sysvEnabled: false, ...over,
});
const args = (over: Partial<SystemdArgs> = {}): SystemdArgs => ({ name: 'cron', state: null, enabled: null, masked: null, scope: 'system', ...over });
const actions = (p: ReturnType<typeof planSystemd>): string[] => p.steps.map((s) => (s.kind === 'action' ? s.action : `${s.kind}:${'msg' in s ? s.msg : ''}`));

test('parseSystemctlShow keeps multi-line Exec values and single-line braces', () => {
  const s = parseSystemctlShow(SHOW);
  expect(s.ExecStart).toBe('{ path=/usr/sbin/cron ; argv[]=/usr/sbin/cron -f $EXTRA_OPTS ; ignore_errors=no ;\n  start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }');
  expect(s.Description).toBe('{weird description');
  expect(s.ActiveState).toBe('active');
});

describe('planSystemd', () => {
  test.each([
    ['started when active', { state: 'started' }, {}, [], false],
    ['started when inactive', { state: 'started' }, { showOut: SHOW.replace('ActiveState=active', 'ActiveState=inactive') }, ['start'], true],
    ['stopped when active', { state: 'stopped' }, {}, ['stop'], true],
    ['stopped when deactivating', { state: 'stopped' }, { showOut: SHOW.replace('ActiveState=active', 'ActiveState=deactivating') }, ['stop'], true],
    ['stopped when inactive', { state: 'stopped' }, { showOut: SHOW.replace('ActiveState=active', 'ActiveState=inactive') }, [], false],
    ['restarted when active', { state: 'restarted' }, {}, ['restart'], true],
    ['reloaded when inactive starts', { state: 'reloaded' }, { showOut: SHOW.replace('ActiveState=active', 'ActiveState=failed') }, ['start'], true],
    ['enable when disabled', { enabled: true }, { enabledRc: 1, enabledOut: 'disabled' }, ['enable'], true],
    ['enabled stays', { enabled: true }, {}, [], false],
    ['indirect counts as disabled', { enabled: true }, { enabledOut: 'indirect' }, ['enable'], true],
    ['disable when static is a change', { enabled: false }, { enabledOut: 'static' }, ['disable'], true],
    ['mask', { masked: true }, {}, ['mask'], true],
    ['unmask when masked', { masked: false }, { enabledRc: 1, enabledOut: 'masked', stateOut: 'masked' }, ['unmask'], true],
    ['missing unit', { state: 'started' }, { showOut: 'LoadState=not-found\nActiveState=inactive' }, ['fail:Could not find the requested service cron: host'], false],
    ['load error', { state: 'started' }, { showOut: 'LoadState=loaded\nLoadError=org.freedesktop bad' }, ["fail:Error loading unit file 'cron': org.freedesktop bad"], false],
    ['no systemd running, unit file known', { enabled: true }, { showRc: 1, showOut: '', enabledOut: 'static', stateOut: 'static' }, [], false],
    ['no systemd, unknown unit', { enabled: true }, { showRc: 1, showOut: '', enabledOut: '', stateOut: '', listRc: 1 }, ['systemctl-error:'], false],
    ['init script only', { state: 'started' }, { showOut: 'LoadState=not-found', initScript: true }, ['warn:The service (cron) is actually an init script but the system is managed by systemd', 'fail:Service is in unknown state'], false],
  ] as const)('%s', (_name, a, p, expected, changed) => {
    const plan = planSystemd(args(a as Partial<SystemdArgs>), probe(p as Partial<UnitProbe>));
    expect(actions(plan)).toEqual(expected);
    expect(plan.changed).toBe(changed);
  });

  test('results: state/enabled keys like Ansible', () => {
    const r = planSystemd(args({ state: 'restarted', enabled: true }), probe({ enabledRc: 1, enabledOut: 'disabled' })).result;
    expect(r).toMatchObject({ name: 'cron', changed: true, enabled: true, state: 'started' });
    expect((r.status as Record<string, string>).SubState).toBe('running');
  });
});

const UNIT = '/etc/systemd/system/tsible-unit-test.service';
const canUseSystemctl = process.getuid?.() === 0 && fs.existsSync('/usr/bin/systemctl');
(canUseSystemctl ? describe : describe.skip)('real systemctl on unit files (systemd not PID 1)', () => {
  beforeAll(() => fs.writeFileSync(UNIT, '[Unit]\nDescription=tsible test\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n'));
  afterAll(() => {
    execSync('systemctl disable tsible-unit-test 2>/dev/null; systemctl unmask tsible-unit-test 2>/dev/null; true', { shell: '/bin/sh' });
    fs.rmSync(UNIT, { force: true });
  });
  test('enable: check, first, second; mask; disable', async () => {
    const base = { name: 'tsible-unit-test', enabled: true };
    expect((await runModule(systemdModule, base, { check: true })).result).toEqual({ changed: true, enabled: true, name: 'tsible-unit-test', status: {} });
    expect(execSync('systemctl is-enabled tsible-unit-test || true').toString().trim()).toBe('disabled');
    expect((await runModule(systemdModule, base)).result).toEqual({ changed: true, enabled: true, name: 'tsible-unit-test', status: {} });
    expect((await runModule(systemdModule, base)).result).toEqual({ changed: false, enabled: true, name: 'tsible-unit-test', status: {} });
    expect((await runModule(systemdModule, { name: 'tsible-unit-test', masked: true })).result).toEqual({ changed: true, name: 'tsible-unit-test', status: {} });
    expect((await runModule(systemdModule, { name: 'tsible-unit-test', masked: false, enabled: false })).result).toEqual({ changed: true, enabled: false, name: 'tsible-unit-test', status: {} });
  });
  test('unknown unit without systemd fails like Ansible', async () => {
    const r = (await runModule(systemdModule, { name: 'tsible-nosuch', enabled: false })).result;
    expect(r).toMatchObject({ failed: true, changed: false, cmd: '/usr/bin/systemctl', rc: 1 });
    expect(r.msg).toMatch(/System has not been booted with systemd/);
  });
  test('glob and required_by errors', async () => {
    expect((await runModule(systemdModule, { name: 'a*', state: 'started' })).result.msg).toBe("This module does not currently support using glob patterns, found '*' in service name: a*");
    await expect(runModule(systemdModule, { enabled: false })).rejects.toThrow("missing parameter(s) required by 'enabled': name");
  });
});
