// The podman driver on a real podman service: a systemd platform of the built-in image, reached
// with the docker connection through podman's socket, then destroyed. Skipped, saying so, where
// podman is not installed (Debian: apt-get install podman).
import { DockerConnection } from '../../src/connection/docker/connection';
import { podmanAvailable, podmanDriver } from '../../src/testing/drivers/podman';
import { testRun } from '../support/docker';

const available = podmanAvailable();
if (!available) process.stderr.write('podman driver test skipped: podman is not installed on this machine\n');
const maybe = available ? test : test.skip;

maybe('podman: a systemd platform, reached with the docker connection, destroyed', async () => {
  const driver = podmanDriver();
  const run = testRun('podman');
  const platforms = [{ name: 'pod', image: 'tsible/debian:12' }];
  try {
    const [inst] = await driver.create(platforms, run);
    const conn = new DockerConnection({
      host: 'pod',
      container: String(inst?.hostVars.ansible_host),
      dockerExtraArgs: String(inst?.hostVars.ansible_docker_extra_args),
    });
    expect((await conn.exec('cat /proc/1/comm; systemctl is-system-running')).stdout).toBe('systemd\nrunning\n');
  } finally {
    await driver.destroy(platforms, run);
  }
}, 600_000);
