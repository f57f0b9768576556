// The docker connection against a real systemd container of the built-in image: exec with
// stdin, env, cwd and exit codes, binary put/fetch (also under tmpfs /tmp), become to another
// user, ansible_user, unreachable containers and engine selection (DOCKER_HOST, extra args).
import * as childProcess from 'child_process';
import { randomBytes } from 'crypto';
import { DockerConnection } from '../../src/connection/docker/connection';
import { engineClient, parseDockerExtraArgs } from '../../src/connection/docker/endpoint';
import { ConnectionPool } from '../../src/connection/pool';
import { TaskConnection } from '../../src/connection/task-connection';
import { TsibleError } from '../../src/errors';
import { createPlatforms, docker, ensureTestImage, testRun } from '../support/docker';

// counts the controller processes started while the connection works (calls pass through)
jest.mock('child_process', () => {
  const actual = jest.requireActual('child_process');
  return { ...actual, spawn: jest.fn(actual.spawn), exec: jest.fn(actual.exec), execFile: jest.fn(actual.execFile), fork: jest.fn(actual.fork) };
});

let container = '';
let destroy: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  await ensureTestImage();
  const created = await createPlatforms([{ name: 'conn', image: 'tsible/debian:12' }], testRun('conn'));
  destroy = created.destroy;
  container = String(created.instances[0]?.hostVars.ansible_host);
  const setup = await new DockerConnection({ host: 'conn', container }).exec("useradd -m -s /bin/sh app && echo 'app ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/app && echo ok");
  expect(setup).toMatchObject({ rc: 0, stdout: 'ok\n' });
}, 600_000);

afterAll(() => destroy(), 60_000);

const conn = (over: Partial<ConstructorParameters<typeof DockerConnection>[0]> = {}) => new DockerConnection({ host: 'conn', container, ...over });

test('exec: stdout, stderr and the exit code', async () => {
  const r = await conn().exec('echo out; echo err >&2; exit 7');
  expect(r).toMatchObject({ rc: 7, stdout: 'out\n', stderr: 'err\n' });
  expect(r.stdoutBytes.equals(Buffer.from('out\n'))).toBe(true);
});

test('exec: stdin (1 MiB, binary), env with quotes, cwd', async () => {
  const data = randomBytes(1 << 20);
  const r = await conn().exec('sha256sum | cut -d" " -f1', { stdin: data });
  expect(r.stdout.trim()).toBe(require('crypto').createHash('sha256').update(data).digest('hex'));
  const e = await conn({ environment: { BASE: 'b' } }).exec('printf "%s|%s|" "$FOO" "$BASE"; pwd', { env: { FOO: "it's \"x\" $HOME" }, cwd: '/etc' });
  expect(e.stdout).toBe(`it's "x" $HOME|b|/etc\n`);
});

test('exec: a timeout ends the command with rc 124', async () => {
  const started = Date.now();
  const r = await conn().exec('sleep 30', { timeoutMs: 1000 });
  expect(r.rc).toBe(124);
  expect(Date.now() - started).toBeLessThan(8000);
});

test('put and fetch binary files, under /root and under the tmpfs /tmp', async () => {
  const c = conn();
  for (const p of ['/root/blob.bin', '/tmp/blob.bin']) {
    const data = randomBytes(3 << 20);
    await c.put(data, p);
    expect((await c.fetch(p)).equals(data)).toBe(true);
    const seen = await c.exec(`stat -c '%s %U' ${p}`);
    expect(seen.stdout).toBe(`${data.length} root\n`);
  }
  await expect(c.fetch('/nonexistent')).rejects.toThrow(new TsibleError('CONNECTION', 'could not read /nonexistent: cat: /nonexistent: No such file or directory'));
  await expect(c.put('x', '/nonexistent/dir/f')).rejects.toThrow(/could not write \/nonexistent\/dir\/f: .*cannot create \/nonexistent\/dir\/f: Directory nonexistent/);
});

test('become to a non-root user: commands, env and files as that user', async () => {
  const become = { become: true, user: 'app', method: 'sudo' };
  const t = new TaskConnection(conn(), { GREETING: 'hi there' }, become);
  const r = await t.exec('echo "$(id -un) $GREETING $HOME"');
  expect(r).toMatchObject({ rc: 0, stdout: 'hi there'.replace(/^/, 'app ') + ' /home/app\n' });
  await t.put('mine\n', '/home/app/note');
  expect((await conn().exec('stat -c %U /home/app/note')).stdout).toBe('app\n');
  expect((await t.fetch('/home/app/note')).toString()).toBe('mine\n');
});

test('ansible_user: commands and files as that user, become back to root', async () => {
  const c = conn({ user: 'app' });
  expect((await c.exec('id -un')).stdout).toBe('app\n');
  await c.put('x', '/home/app/by-app');
  expect((await conn().exec('stat -c %U /home/app/by-app')).stdout).toBe('app\n');
  await expect(c.put('x', '/root/denied')).rejects.toThrow(/Permission denied/);
  const root = await c.exec('id -un', { become: { become: true, user: 'root' } });
  expect(root).toMatchObject({ rc: 0, stdout: 'root\n' });
});

test('no process on the controller per command', async () => {
  const started = [childProcess.spawn, childProcess.exec, childProcess.execFile, childProcess.fork] as unknown as jest.Mock[];
  for (const f of started) f.mockClear();
  const c = conn();
  for (let i = 0; i < 10; i++) await c.exec('true');
  await c.put('x', '/tmp/x');
  await c.fetch('/tmp/x');
  expect(started.map((f) => f.mock.calls.length)).toEqual([0, 0, 0, 0]);
});

test('a missing or stopped container is unreachable, with the reason', async () => {
  await expect(conn({ container: 'tsible-docker-test-nosuch' }).exec('true')).rejects.toThrow(
    new TsibleError('CONNECTION', 'Could not find container "tsible-docker-test-nosuch" (No such container: tsible-docker-test-nosuch)'),
  );
  const stopped = await docker.createContainer({ name: 'tsible-docker-test-stopped', Image: 'tsible/debian:12', Cmd: ['true'], Labels: { 'org.tsible.run': 'tsible-docker-test-conn' } });
  try {
    await expect(conn({ container: 'tsible-docker-test-stopped' }).exec('true')).rejects.toThrow('The container "tsible-docker-test-stopped" is not running');
  } finally {
    await stopped.remove({ force: true });
  }
});

test('the pool gives docker and community.docker.docker hosts this connection', () => {
  const pool = new ConnectionPool();
  expect(pool.get('docker', { host: 'a', address: container })).toBeInstanceOf(DockerConnection);
  expect(pool.get('community.docker.docker', { host: 'b', address: container })).toBeInstanceOf(DockerConnection);
});

describe('engine selection', () => {
  test('ansible_docker_extra_args: engine flags read, others refused by name', () => {
    expect(parseDockerExtraArgs('-H unix:///run/x.sock --tlsverify --tlscacert=/c/ca.pem')).toEqual({ host: 'unix:///run/x.sock', tlsVerify: true, caFile: '/c/ca.pem' });
    expect(() => parseDockerExtraArgs('--log-level debug')).toThrow(/'--log-level' is not supported/);
  });

  test('DOCKER_HOST and -H pick the engine', async () => {
    await expect(engineClient({}, { DOCKER_HOST: 'unix:///var/run/docker.sock' }).ping()).resolves.toBeTruthy();
    await expect(engineClient({}, { DOCKER_HOST: 'unix:///nonexistent.sock' }).ping()).rejects.toThrow(/ENOENT/);
    const viaArgs = conn({ dockerExtraArgs: '-H unix:///var/run/docker.sock' });
    expect((await viaArgs.exec('echo via-args')).stdout).toBe('via-args\n');
    await expect(conn({ dockerExtraArgs: '--host=unix:///nonexistent.sock' }).exec('true')).rejects.toThrow(/Failed to connect to the Docker Engine/);
  });
});
