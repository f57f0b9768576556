// Runs the built tsible command (dist/cli/main.js, as `npm test` builds it) in a directory.
import { spawnSync } from 'child_process';
import * as path from 'path';

export const TSIBLE_BIN = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');

export function runTsible(args: string[], cwd: string, env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [TSIBLE_BIN, ...args], {
    cwd,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
