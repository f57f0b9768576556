// The docker driver on the real Engine: two systemd platforms on the run's network reaching each
// other by name, a systemd unit started and enabled by a playbook over the docker connection,
// privileged on a host that refuses it, a public-role style platform on a re-tagged built-in
// image, reuse, a missing image's error, and destroy leaving nothing behind.
import * as fs from 'fs';
import * as path from 'path';
import { runContainerExec } from '../../src/connection/docker/exec';
import { dockerDriver } from '../../src/testing/drivers/docker';
import type { Platform } from '../../src/testing/drivers/types';
import { runTsible } from '../support/run-tsible';
import { docker, ensureTestImage, leftovers, testRun, TEST_PREFIX } from '../support/docker';

const run = testRun('driver');
const driver = dockerDriver();
const platforms: Platform[] = [
  { name: 'alpha', image: 'tsible/debian:12', volumes: ['shared:/srv/shared'], tmpfs: ['/scratch'] },
  { name: 'beta', image: 'tsible/debian:12', privileged: true, groups: ['web'] },
];
const sh = async (container: string, script: string) => runContainerExec(docker, container, { cmd: ['/bin/sh', '-c', script] });

beforeAll(() => ensureTestImage(), 600_000);
afterAll(async () => {
  await driver.destroy(platforms, run);
  fs.rmSync(run.scenarioDir, { recursive: true, force: true });
}, 120_000);

describe('two platforms on one run', () => {
  let created: Awaited<ReturnType<typeof driver.create>>;

  beforeAll(async () => {
    const started = Date.now();
    created = await driver.create(platforms, run);
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`driver.create of 2 systemd containers: ${seconds.toFixed(1)} s\n`);
    expect(seconds).toBeLessThan(30); // the bar is 3 s per container on a quiet machine; this catches a regression
  }, 120_000);

  test('instances: reached with the docker connection, each with its own address', () => {
    expect(created.map((i) => i.name)).toEqual(['alpha', 'beta']);
    expect(created[0]?.hostVars).toEqual({ ansible_connection: 'community.docker.docker', ansible_host: `${TEST_PREFIX}-driver-alpha` });
    const [a, b] = created.map((i) => i.address);
    expect(a).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(b).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(a).not.toBe(b);
  });

  test('systemd is PID 1 and running in both', async () => {
    for (const i of created) {
      const r = await sh(String(i.hostVars.ansible_host), 'cat /proc/1/comm; systemctl is-system-running');
      expect(r.stdout).toBe('systemd\nrunning\n');
    }
  });

  test('one platform reaches the other by name over the network', async () => {
    const alpha = String(created[0]?.hostVars.ansible_host);
    const beta = String(created[1]?.hostVars.ansible_host);
    expect((await sh(alpha, 'systemctl start ssh && systemctl is-active ssh')).stdout).toBe('active\n');
    const r = await sh(beta, "getent hosts alpha | cut -d' ' -f1; timeout 5 bash -c 'exec 3<>/dev/tcp/alpha/22; head -c 8 <&3'");
    expect(r.stdout).toBe(`${created[0]?.address}\nSSH-2.0-`);
  });

  test('privileged: a one-line notice, and the capabilities the host allows are really there', async () => {
    const notices = run.lines.filter((l) => l.includes('privileged'));
    expect(notices).toEqual([
      "platform 'beta': this Docker host refuses privileged containers; running it with SYS_ADMIN, NET_ADMIN, seccomp and apparmor unconfined, the host cgroup namespace and /sys/fs/cgroup read-write instead",
    ]);
    const beta = String(created[1]?.hostVars.ansible_host);
    expect((await sh(beta, 'ip addr add 10.254.254.1/32 dev lo && ip -o addr show dev lo | grep -c 10.254.254.1')).stdout).toBe('1\n');
    // without the notice's NET_ADMIN the same command is refused
    const alpha = String(created[0]?.hostVars.ansible_host);
    expect(await sh(alpha, 'ip addr add 10.254.254.1/32 dev lo')).toMatchObject({ rc: 2, stderr: 'RTNETLINK answers: Operation not permitted\n' });
  });

  test('a playbook over the docker connection starts and enables a systemd unit, then changes nothing', async () => {
    const dir = path.join(run.scenarioDir, 'unit');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'inventory'),
      created.map((i) => `${i.name} ansible_connection=community.docker.docker ansible_host=${String(i.hostVars.ansible_host)}`).join('\n') + '\n',
    );
    fs.writeFileSync(
      path.join(dir, 'playbook.yml'),
      [
        '- hosts: all',
        '  tasks:',
        '    - name: unit file',
        '      copy:',
        '        dest: /etc/systemd/system/tsible-demo.service',
        '        content: |',
        '          [Unit]',
        '          Description=tsible demo',
        '          [Service]',
        '          ExecStart=/bin/sleep infinity',
        '          [Install]',
        '          WantedBy=multi-user.target',
        '    - name: started and enabled',
        '      systemd: {name: tsible-demo, state: started, enabled: true, daemon_reload: true}',
        '',
      ].join('\n'),
    );
    const first = runTsible(['-i', 'inventory', 'playbook.yml'], dir);
    expect(first.stdout).toMatch(/alpha\s+: ok=3\s+changed=2\s+unreachable=0\s+failed=0/);
    expect(first.status).toBe(0);
    for (const i of created) {
      const r = await sh(String(i.hostVars.ansible_host), 'systemctl is-active tsible-demo; systemctl is-enabled tsible-demo');
      expect(r.stdout).toBe('active\nenabled\n');
    }
    const second = runTsible(['-i', 'inventory', 'playbook.yml'], dir);
    expect(second.stdout).toMatch(/alpha\s+: ok=3\s+changed=0/);
    expect(second.stdout).toMatch(/beta\s+: ok=3\s+changed=0/);
  });

  test('create again reuses the running containers', async () => {
    const before = await docker.getContainer(`${TEST_PREFIX}-driver-alpha`).inspect();
    const again = await driver.create(platforms, run);
    expect(again.map((i) => i.address)).toEqual(created.map((i) => i.address));
    expect((await docker.getContainer(`${TEST_PREFIX}-driver-alpha`).inspect()).Id).toBe(before.Id);
  });

  test('login command: an interactive shell through the docker CLI', () => {
    expect(driver.loginCommand(created[0]!, run)).toEqual([
      'docker', 'exec', '-it', `${TEST_PREFIX}-driver-alpha`, '/bin/sh', '-c', 'command -v bash >/dev/null && exec bash -l || exec sh -l',
    ]);
  });
});

test('a public role scenario platform runs unchanged on the built-in image tagged under its name', async () => {
  const repo = `${TEST_PREFIX}/geerlingguy-like`;
  const image = `${repo}:latest`;
  await docker.getImage('tsible/debian:12').tag({ repo, tag: 'latest' });
  const own = testRun('publicrole');
  const platform: Platform = {
    name: 'instance',
    image: process.env.TSIBLE_TEST_UNSET_IMAGE ?? image,
    command: '',
    volumes: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
    cgroupns_mode: 'host',
    privileged: true,
    pre_build_image: true,
  };
  try {
    const [inst] = await driver.create([platform], own);
    expect((await sh(String(inst?.hostVars.ansible_host), 'systemctl is-system-running')).stdout).toBe('running\n');
  } finally {
    await driver.destroy([platform], own);
    await docker.getImage(image).remove();
  }
}, 120_000);

test('an image that is neither present nor pullable: an error naming it and how to use the built-in one', async () => {
  const own = testRun('missing');
  const platform: Platform = { name: 'instance', image: `${TEST_PREFIX}/nosuch:1` };
  await expect(driver.create([platform], own)).rejects.toThrow(
    new RegExp(
      `image '${TEST_PREFIX}/nosuch:1' of platform 'instance' is not present locally and could not be pulled \\(.+\\)\\.\\n` +
        `To run this platform on tsible's built-in Debian 12 image with systemd, either set 'image: tsible/debian:12',\\n` +
        `or give the built-in image this name: tsible test image build && docker tag tsible/debian:12 ${TEST_PREFIX}/nosuch:1`,
    ),
  );
  await driver.destroy([platform], own);
  expect(await leftovers(own.runId)).toEqual([]);
});

test('destroy removes containers, network and volumes, and can run again', async () => {
  await driver.destroy(platforms, run);
  expect(await leftovers(run.runId)).toEqual([]);
  await driver.destroy(platforms, run);
}, 120_000);
