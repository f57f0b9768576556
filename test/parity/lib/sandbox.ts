// Runs a parity case's tool in a private mount (and optionally network) namespace where the
// listed system directories are overlays: modules that change the host (timezone, locale_gen,
// alternatives, ufw) act on real files and a real kernel, and the shared machine stays as it was.
import * as fs from 'fs';
import * as path from 'path';

export interface SandboxSpec {
  /** Directories overlaid with a per-case upper layer (kept across the case's runs). */
  overlays: string[];
  /** A new network namespace (loopback up): firewall rules never reach the host's. */
  netns: boolean;
}

/** The argv that runs `argv` inside the sandbox; the upper layers live under `scratch`. */
export function sandboxArgv(spec: SandboxSpec, scratch: string, argv: string[]): string[] {
  const lines = ['set -e'];
  spec.overlays.forEach((dir, i) => {
    const upper = path.join(scratch, 'sandbox', String(i), 'upper');
    const work = path.join(scratch, 'sandbox', String(i), 'work');
    fs.mkdirSync(upper, { recursive: true });
    fs.mkdirSync(work, { recursive: true });
    lines.push(`mount -t overlay tsible-parity -o lowerdir=${dir},upperdir=${upper},workdir=${work} ${dir}`);
  });
  if (spec.netns) lines.push('ip link set lo up');
  lines.push('exec "$@"');
  return ['unshare', '--mount', '--propagation', 'private', ...(spec.netns ? ['--net'] : []), '--', 'sh', '-c', lines.join('\n'), 'sh', ...argv];
}
