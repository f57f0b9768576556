// dockerd inside a systemd platform, set up only with platform options (NET_ADMIN, its data root
// on a named volume): it starts with --iptables=false and runs a container of its own. The
// engine's binaries are the host's (Debian's docker.io, the same release as the image) bound in
// read-only, so the test needs no download; the Kubernetes roles install docker.io instead.
import * as fs from 'fs';
import { runContainerExec } from '../../src/connection/docker/exec';
import { dockerDriver } from '../../src/testing/drivers/docker';
import type { Platform } from '../../src/testing/drivers/types';
import { docker, ensureTestImage, leftovers, testRun } from '../support/docker';

const ENGINE_BINARIES = ['/usr/sbin/dockerd', '/usr/bin/containerd', '/usr/bin/containerd-shim-runc-v2', '/usr/sbin/runc', '/usr/bin/docker-init', '/usr/sbin/docker-proxy'];

const INSIDE = `set -e
systemd-run --unit tsible-inner-dockerd /usr/sbin/dockerd --iptables=false --data-root /var/lib/docker >/dev/null 2>&1
api() { curl -sf --unix-socket /run/docker.sock "$@"; }
for i in $(seq 1 300); do api http://d/_ping >/dev/null 2>&1 && break; sleep 0.2; done
cd / && tar -ch usr/bin/echo usr/lib/x86_64-linux-gnu/libc.so.6 usr/lib64/ld-linux-x86-64.so.2 lib64 > /root/inner.tar
api -X POST -H 'Content-Type: application/x-tar' --data-binary @/root/inner.tar 'http://d/images/create?fromSrc=-&repo=inner&tag=1' >/dev/null
id=$(api -X POST -H 'Content-Type: application/json' -d '{"Image":"inner:1","Cmd":["/usr/bin/echo","hello from the inner engine"]}' http://d/containers/create | sed 's/.*"Id":"\\([0-9a-f]*\\)".*/\\1/')
api -X POST http://d/containers/$id/start
api -X POST http://d/containers/$id/wait >/dev/null
api "http://d/containers/$id/logs?stdout=1" | tail -c +9
api http://d/info | grep -o '"DockerRootDir":"[^"]*"'
systemctl is-active tsible-inner-dockerd
`;

test('dockerd runs inside a platform with NET_ADMIN and its data root on a volume', async () => {
  for (const b of ENGINE_BINARIES) expect({ binary: b, present: fs.existsSync(b) }).toEqual({ binary: b, present: true });
  await ensureTestImage();
  const run = testRun('dind');
  const platform: Platform = {
    name: 'dind',
    image: 'tsible/debian:12',
    capabilities: ['NET_ADMIN'],
    volumes: ['dind-data:/var/lib/docker', ...ENGINE_BINARIES.map((b) => `${b}:${b}:ro`)],
  };
  const driver = dockerDriver();
  try {
    const [inst] = await driver.create([platform], run);
    const r = await runContainerExec(docker, String(inst?.hostVars.ansible_host), { cmd: ['/bin/sh', '-c', INSIDE], timeoutMs: 120_000 });
    expect({ rc: r.rc, stdout: r.stdout, stderr: r.stderr }).toEqual({
      rc: 0,
      stdout: 'hello from the inner engine\n"DockerRootDir":"/var/lib/docker"\nactive\n',
      stderr: '',
    });
  } finally {
    await driver.destroy([platform], run);
    fs.rmSync(run.scenarioDir, { recursive: true, force: true });
  }
  expect(await leftovers(run.runId)).toEqual([]);
}, 600_000);
