// -vvv over the local connection, against ansible-playbook on the same playbook: each task's first
// connection line is "<host> ESTABLISH LOCAL CONNECTION FOR USER: <local user>", then one
// "<host> EXEC /bin/sh -c '...'" per command; a no_log task's commands are not shown.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const TSIBLE_BIN = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-local-vvv-'));
  fs.writeFileSync(
    path.join(dir, 'play.yml'),
    `- hosts: all\n  gather_facts: no\n  tasks:\n    - command: echo one\n    - file: {path: "${dir}/f", state: touch}\n    - command: echo hidden-value\n      no_log: true\n`,
  );
  fs.writeFileSync(path.join(dir, 'inventory'), 'box ansible_connection=local ansible_host=127.0.0.1\n');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = () => ({ ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_LOCAL_TEMP: path.join(dir, '.tmp') });

/** Per task banner: the connection lines that follow it. */
function connectionLines(stdout: string): Map<string, string[]> {
  const tasks = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of stdout.split('\n')) {
    const banner = /^TASK \[(.*)\] \*+$/.exec(line);
    if (banner) {
      current = [];
      tasks.set(`${tasks.size}:${banner[1]}`, current);
    } else if (line.startsWith('<127.0.0.1> ')) current.push(line);
  }
  return tasks;
}

test('ESTABLISH LOCAL once per task, then EXEC lines, as ansible-playbook -vvv prints them', () => {
  const r = spawnSync(process.execPath, [TSIBLE_BIN, '-i', 'inventory', 'play.yml', '-vvv'], { cwd: dir, env: env(), encoding: 'utf8' });
  expect(r.status).toBe(0);
  const user = os.userInfo().username;
  const ours = connectionLines(r.stdout);
  expect(ours.size).toBe(3);
  for (const lines of ours.values()) {
    expect(lines[0]).toBe(`<127.0.0.1> ESTABLISH LOCAL CONNECTION FOR USER: ${user}`);
    expect(lines.slice(1).length).toBeGreaterThan(0);
    for (const l of lines.slice(1)) expect(l).toMatch(/^<127\.0\.0\.1> EXEC /);
  }
  expect([...ours.values()][0]?.[1]).toMatch(/^<127\.0\.0\.1> EXEC \/bin\/sh -c '.*echo one'$/);
  expect(r.stdout).not.toContain('hidden-value');
  expect([...ours.values()][2]?.[1]).toBe('<127.0.0.1> EXEC (the command of a no_log task is not shown)');

  const a = spawnSync('ansible-playbook', ['-i', 'inventory', 'play.yml', '-vvv'], { cwd: dir, env: env(), encoding: 'utf8' });
  if (a.error) return; // ansible-playbook missing: the shape checks above stand alone
  expect(a.status).toBe(0);
  const theirs = connectionLines(a.stdout);
  expect([...theirs.keys()]).toEqual([...ours.keys()]);
  for (const lines of theirs.values()) {
    expect(lines[0]).toBe(`<127.0.0.1> ESTABLISH LOCAL CONNECTION FOR USER: ${user}`);
    expect(lines.filter((l) => l.startsWith('<127.0.0.1> EXEC /bin/sh -c ')).length).toBeGreaterThan(0);
  }
});
