// loadConfig against real files in temp dirs; expectations measured with `ansible-config dump`.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig, parseIni, iniGet } from '.';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-config-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CFG = '[defaults]\ninventory = inv1,../x/inv2\nroles_path = roles:~/r\nforks: 7 ; comment\nprivate_key_file = keys/id\nremote_user = bob\n  continued\n[privilege_escalation]\nbecome = yes\n';

test('defaults when no config file exists', () => {
  const home = path.join(tmp, 'home');
  fs.mkdirSync(home);
  const c = loadConfig({ HOME: home }, tmp);
  if (fs.existsSync('/etc/ansible/ansible.cfg')) return; // the machine's own file would be read
  expect(c.configFile).toBeUndefined();
  expect(c.forks).toBe(5);
  expect(c.timeout).toBe(10);
  expect(c.inventory).toEqual(['/etc/ansible/hosts']);
  expect(c.rolesPath).toEqual([`${home}/.ansible/roles`, '/usr/share/ansible/roles', '/etc/ansible/roles']);
  expect(c.ansibleManaged).toBe('Ansible managed');
  expect(c).toMatchObject({ become: false, becomeUser: 'root', becomeMethod: 'sudo', gathering: 'implicit', stdoutCallback: 'default', hostKeyChecking: true, noColor: false });
});

test('ANSIBLE_CONFIG file: paths relative to its directory, ~ expanded, comments and continuations', () => {
  fs.mkdirSync(path.join(tmp, 'sub'));
  fs.writeFileSync(path.join(tmp, 'sub/ansible.cfg'), CFG);
  const c = loadConfig({ HOME: '/root', ANSIBLE_CONFIG: path.join(tmp, 'sub') }, tmp);
  expect(c.configFile).toBe(path.join(tmp, 'sub/ansible.cfg'));
  expect(c.inventory).toEqual([path.join(tmp, 'sub/inv1'), path.join(tmp, 'x/inv2')]);
  expect(c.rolesPath).toEqual([path.join(tmp, 'sub/roles'), '/root/r']);
  expect(c.forks).toBe(7);
  expect(c.privateKeyFile).toBe(path.join(tmp, 'sub/keys/id'));
  expect(c.remoteUser).toBe('bob\ncontinued');
  expect(c.become).toBe(true);
  expect(c.raw['defaults.forks']).toBe('7');
});

test('environment wins over the file; env paths are relative to cwd; NO_COLOR', () => {
  fs.writeFileSync(path.join(tmp, 'ansible.cfg'), CFG);
  const c = loadConfig({ HOME: '/root', ANSIBLE_ROLES_PATH: 'rel:~/abc', ANSIBLE_FORKS: '3', ANSIBLE_BECOME: 'no', NO_COLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_GATHERING: 'explicit' }, tmp);
  expect(c.configFile).toBe(path.join(tmp, 'ansible.cfg'));
  expect(c.rolesPath).toEqual([path.join(tmp, 'rel'), '/root/abc']);
  expect(c.forks).toBe(3);
  expect(c.become).toBe(false);
  expect(c.noColor).toBe(true);
  expect(c.stdoutCallback).toBe('json');
  expect(c.gathering).toBe('explicit');
});

test('a world-writable cwd is not searched; ~/.ansible.cfg is next', () => {
  const home = path.join(tmp, 'home');
  const work = path.join(tmp, 'work');
  fs.mkdirSync(home);
  fs.mkdirSync(work);
  fs.writeFileSync(path.join(work, 'ansible.cfg'), '[defaults]\nforks=2\n');
  fs.writeFileSync(path.join(home, '.ansible.cfg'), '[defaults]\nforks=9\n');
  fs.chmodSync(work, 0o777);
  expect(loadConfig({ HOME: home }, work).forks).toBe(9);
  fs.chmodSync(work, 0o755);
  expect(loadConfig({ HOME: home }, work).forks).toBe(2);
});

test('INI: interpolation, DEFAULT section, inline ";" only after whitespace, errors', () => {
  const ini = parseIni('[DEFAULT]\nbase = /opt\n[defaults]\nlog_path = %(base)s/log\npct = 100%%\nurl = http://x;y ; note\n# comment\n; comment\n');
  expect(iniGet(ini, 'defaults', 'log_path')).toBe('/opt/log');
  expect(iniGet(ini, 'defaults', 'pct')).toBe('100%');
  expect(iniGet(ini, 'defaults', 'URL')).toBe('http://x;y');
  expect(() => parseIni('forks = 3\n', 'a.cfg')).toThrow(/no section headers/);
  expect(() => parseIni('[defaults]\njustakey\n', 'a.cfg')).toThrow(/parsing errors/);
});
