// Shared setup of the SSH integration tests: a scratch HOME (its own ~/.ssh), real sshd servers
// on loopback addresses, a root-equivalent login with /bin/sh, and runners for tsible and ansible.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { authorize, clientKey, run, startSshd, type Listen, type Sshd } from '../support/sshd';

export const TSIBLE_BIN = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');

/**
 * Root's interactive bash setup on this machine starts dozens of processes per command, so the
 * tests log in as a second uid-0 account whose shell is /bin/sh (home /root, as root's).
 */
export const ROOT_USER = 'tsible-ssh-root';

export function ensureRootAlias(): void {
  if (spawnSync('id', [ROOT_USER], { stdio: 'ignore' }).status !== 0) {
    spawnSync('useradd', ['-o', '-u', '0', '-g', '0', '-M', '-d', '/root', '-s', '/bin/sh', ROOT_USER], { stdio: 'ignore' });
  }
  run('usermod', ['-p', '*', ROOT_USER]);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class SshWorld {
  readonly dir: string;
  readonly home: string;
  readonly servers: Sshd[] = [];
  readonly keys: string;

  constructor(name: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `tsible-ssh-${name}-`));
    this.home = path.join(this.dir, 'home');
    this.keys = path.join(this.dir, 'keys');
    fs.mkdirSync(path.join(this.home, '.ssh'), { recursive: true, mode: 0o700 });
  }

  key(name: string, type: 'ed25519' | 'rsa' | 'ecdsa' = 'ed25519', passphrase = ''): string {
    return clientKey(this.keys, name, type, passphrase);
  }

  /** Authorizes keys for a user on every server of this world. */
  authorize(user: string, keys: string[]): void {
    authorize(path.join(this.dir, 'srv'), user, keys);
  }

  async sshd(listen: Listen[], extra: string[] = [], netns?: string): Promise<Sshd> {
    const s = await startSshd({ dir: path.join(this.dir, 'srv'), listen, extra, netns, hostKeyDir: path.join(this.dir, 'srv', 'hostkeys') });
    this.servers.push(s);
    return s;
  }

  /** Writes the servers' keys into ~/.ssh/known_hosts of the scratch HOME. */
  trustAll(): void {
    fs.writeFileSync(path.join(this.home, '.ssh', 'known_hosts'), this.servers.map((s) => s.knownHosts()).join(''));
  }

  write(rel: string, content: string): string {
    const p = path.join(this.dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return p;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      HOME: this.home,
      TSIBLE_SSH_HOME: this.home,
      ANSIBLE_NOCOLOR: '1',
      NO_COLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
      ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
      ANSIBLE_LOCAL_TEMP: path.join(this.dir, 'ansible-tmp'),
      ...extra,
    };
    delete env.SSH_AUTH_SOCK;
    delete env.ANSIBLE_CONFIG;
    return { ...env, ...extra };
  }

  tsible(args: string[], extraEnv: Record<string, string> = {}): RunResult {
    const r = spawnSync(process.execPath, [TSIBLE_BIN, ...args], { cwd: this.dir, env: this.env(extraEnv), encoding: 'utf8', timeout: 120_000 });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** Starts tsible in the background (for tests that act while it runs). */
  tsibleAsync(args: string[], extraEnv: Record<string, string> = {}) {
    const child = spawn(process.execPath, [TSIBLE_BIN, ...args], { cwd: this.dir, env: this.env(extraEnv) });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    const done = new Promise<RunResult>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr: '' })));
    return { child, done, output: () => stdout };
  }

  ansible(args: string[], extraEnv: Record<string, string> = {}): RunResult {
    // real ssh reads ~/.ssh from the passwd entry: point it at this world's known_hosts
    const known = { ANSIBLE_SSH_COMMON_ARGS: `-o UserKnownHostsFile=${path.join(this.home, '.ssh', 'known_hosts')}` };
    const r = spawnSync('ansible-playbook', args, { cwd: this.dir, env: this.env({ ...known, ...extraEnv }), encoding: 'utf8', timeout: 300_000 });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  async close(): Promise<void> {
    for (const s of this.servers) await s.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function ansibleAvailable(): boolean {
  return spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** PLAY RECAP lines as host → counters. */
export function recap(out: string): Record<string, Record<string, number>> {
  const res: Record<string, Record<string, number>> = {};
  const at = out.indexOf('PLAY RECAP');
  if (at < 0) return res;
  for (const line of out.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s+: (.*)$/.exec(line);
    if (!m) continue;
    const c: Record<string, number> = {};
    for (const kv of (m[2] as string).trim().split(/\s+/)) {
      const [k, v] = kv.split('=');
      if (k && v !== undefined) c[k] = Number(v);
    }
    res[m[1] as string] = c;
  }
  return res;
}

/** Banners and "ok: [h]" / "fatal: [h]: UNREACHABLE!" lines, host lines sorted within each banner (hosts run in parallel). */
export function statusLines(out: string): string[] {
  const result: string[] = [];
  let group: string[] = [];
  const flush = () => {
    result.push(...group.sort());
    group = [];
  };
  for (const raw of out.split('\n')) {
    if (/^(TASK|PLAY|RUNNING HANDLER) \[/.test(raw)) {
      flush();
      result.push(raw.replace(/ \*+$/, ''));
    } else if (/^(ok|changed|skipping|fatal|failed): \[/.test(raw)) {
      group.push(raw.replace(/: UNREACHABLE!.*$/, ': UNREACHABLE!').replace(/: FAILED!.*$/, ': FAILED!').replace(/ => .*$/, ''));
    }
  }
  flush();
  return result;
}
