// Runs the built `tsible test` command the way a user does (node dist/cli/main.js test ...),
// each test with its own cache directory, and checks afterwards that nothing was left behind.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..');
export const ROLES = path.join(__dirname, 'roles');
const CLI = path.join(REPO, 'dist', 'cli', 'main.js');

export interface Run {
  code: number | null;
  out: string;
}

export interface Sandbox {
  /** XDG_CACHE_HOME of the runs: the scenarios' ephemeral directories live under it. */
  cache: string;
  /** HARNESS_ARENA: where the default-driver fixtures create their instance directories. */
  arena: string;
  env: Record<string, string>;
  remove(): void;
}

export function sandbox(extra: Record<string, string> = {}): Sandbox {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-harness-'));
  const cache = path.join(root, 'cache');
  const arena = path.join(root, 'arena');
  fs.mkdirSync(arena, { recursive: true });
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    XDG_CACHE_HOME: cache,
    HARNESS_ARENA: arena,
    NO_COLOR: '1',
    ...extra,
  };
  delete env.ANSIBLE_FORCE_COLOR;
  return { cache, arena, env, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export function start(args: string[], cwd: string, env: Record<string, string>): { child: ChildProcess; result: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, 'test', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const result = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, out })));
  return { child, result };
}

export function tsibleTest(args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return start(args, cwd, env).result;
}

/** Files left under a directory (the cache keeps empty directories only). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

export async function waitFor(pred: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
