// Waits until a started container is usable: systemd finished booting (running or degraded),
// or, without systemd, the container is still up. Failures carry the container's last log lines.
import type Docker from 'dockerode';
import { runContainerExec } from '../../../connection/docker/exec';
import { TsibleError } from '../../../errors';

/** The last lines of a container's output (the non-TTY log stream is multiplexed: 8-byte frame headers). */
export async function logTail(docker: Docker, container: string, lines = 20): Promise<string> {
  const raw = (await docker
    .getContainer(container)
    .logs({ stdout: true, stderr: true, tail: lines, follow: false })
    .catch(() => Buffer.alloc(0))) as unknown as Buffer;
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= raw.length && (raw[i] === 1 || raw[i] === 2) && raw[i + 1] === 0) {
    const size = raw.readUInt32BE(i + 4);
    parts.push(raw.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return (i === 0 ? raw : Buffer.concat(parts)).toString('utf8').trimEnd();
}

async function exitedError(docker: Docker, container: string, platform: string): Promise<TsibleError> {
  const info = await docker.getContainer(container).inspect().catch(() => undefined);
  const state = info ? `exited with code ${info.State.ExitCode}${info.State.Error ? `: ${info.State.Error}` : ''}` : 'is gone';
  const tail = await logTail(docker, container);
  return new TsibleError('DRIVER', `platform '${platform}': container ${container} ${state}${tail ? `; its last output:\n${tail}` : ''}`);
}

const WAIT_FOR_BOOT = 'while [ ! -S /run/systemd/private ]; do sleep 0.05; done; exec systemctl is-system-running --wait';

/** Resolves once the container can take commands; returns a notice when systemd came up degraded. */
export async function waitUntilReady(
  docker: Docker,
  container: string,
  platform: string,
  systemd: boolean,
  timeoutSeconds = 90,
): Promise<string | undefined> {
  const info = await docker.getContainer(container).inspect();
  if (!info.State.Running) throw await exitedError(docker, container, platform);
  if (!systemd) return undefined;
  let r;
  try {
    r = await runContainerExec(docker, container, {
      // systemctl needs PID 1's private socket, which appears a moment after the start
      cmd: ['timeout', String(timeoutSeconds), '/bin/sh', '-c', WAIT_FOR_BOOT],
      timeoutMs: (timeoutSeconds + 5) * 1000,
    });
  } catch {
    throw await exitedError(docker, container, platform);
  }
  const state = r.stdout.trim();
  if (state === 'running') return undefined;
  if (state === 'degraded') {
    const failed = await runContainerExec(docker, container, { cmd: ['systemctl', '--failed', '--plain', '--no-legend'] });
    const units = failed.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
    return `platform '${platform}': systemd is up but degraded (failed: ${units.join(', ') || 'unknown'})`;
  }
  const tail = await logTail(docker, container);
  throw new TsibleError(
    'DRIVER',
    `platform '${platform}': systemd in ${container} did not finish booting within ${timeoutSeconds} s (state: ${state || r.stderr.trim() || `rc ${r.rc}`})${tail ? `; its last output:\n${tail}` : ''}`,
  );
}
