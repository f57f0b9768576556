// Real OpenSSH servers for the SSH tests and benchmarks: generated host and client keys, our own
// sshd_config, sshd listening on loopback addresses (or inside a network namespace), test users.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export interface Listen {
  address: string;
  port: number;
}

export interface SshdOptions {
  /** Scratch directory for keys, config and logs (created). */
  dir: string;
  listen: Listen[];
  /** Run inside this network namespace (ip netns exec). */
  netns?: string;
  /** Extra sshd_config lines. */
  extra?: string[];
  /** Host key types to generate (default ed25519, rsa, ecdsa). */
  hostKeyTypes?: ('ed25519' | 'rsa' | 'ecdsa')[];
  /** Host keys directory to reuse (so several servers share known_hosts lines). */
  hostKeyDir?: string;
}

export interface Sshd {
  pid: number;
  listen: Listen[];
  /** "type base64" public host keys, one per generated type. */
  hostKeys: Record<string, string>;
  /** known_hosts lines for every listen address. */
  knownHosts(): string;
  /** Stops the listener and every session it started. */
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

export function run(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Generates host keys once in `dir` (reused when present). */
export function hostKeys(dir: string, types: string[]): Record<string, string> {
  fs.mkdirSync(dir, { recursive: true });
  const out: Record<string, string> = {};
  for (const t of types) {
    const file = path.join(dir, `ssh_host_${t}_key`);
    if (!fs.existsSync(file)) run('ssh-keygen', ['-q', '-t', t, ...(t === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', file, '-C', '']);
    const pub = fs.readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
    out[t] = `${pub[0]} ${pub[1]}`;
  }
  return out;
}

/** A client key pair; returns the private key path. */
export function clientKey(dir: string, name: string, type: 'ed25519' | 'rsa' | 'ecdsa', passphrase = ''): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) run('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', passphrase, '-f', file, '-C', `tsible-test-${name}`]);
  return file;
}

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone already
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function killTree(pid: number): void {
  for (const p of [pid, ...descendants(pid)]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function waitForPort(l: Listen, netns: string | undefined, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = netns
      ? spawnSync('ip', ['netns', 'exec', netns, 'sh', '-c', `exec 3<>/dev/tcp/${l.address}/${l.port}`], { shell: false, stdio: 'ignore' }).status === 0 ||
        spawnSync('ip', ['netns', 'exec', netns, 'ss', '-Hltn', `sport = :${l.port}`], { encoding: 'utf8' }).stdout.includes(`:${l.port}`)
      : await new Promise<boolean>((resolve) => {
          const s = net.connect(l.port, l.address);
          s.once('connect', () => {
            s.destroy();
            resolve(true);
          });
          s.once('error', () => resolve(false));
        });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on ${l.address}:${l.port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startSshd(o: SshdOptions): Promise<Sshd> {
  fs.mkdirSync(o.dir, { recursive: true });
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const types = o.hostKeyTypes ?? ['ed25519', 'rsa', 'ecdsa'];
  const keyDir = o.hostKeyDir ?? path.join(o.dir, 'hostkeys');
  const keys = hostKeys(keyDir, types);
  const config = path.join(o.dir, `sshd_config_${o.listen[0]?.address}_${o.listen[0]?.port}`);
  const lines = [
    // sshd_config takes a keyword's first value: the caller's lines come first and win
    ...(o.extra ?? []),
    ...o.listen.map((l) => `ListenAddress ${l.address}:${l.port}`),
    ...types.map((t) => `HostKey ${path.join(keyDir, `ssh_host_${t}_key`)}`),
    `PidFile none`,
    'UsePAM no',
    'StrictModes no',
    `AuthorizedKeysFile ${path.join(o.dir, 'authorized_keys')}/%u`,
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'Subsystem sftp internal-sftp',
    'MaxStartups 200:30:400',
    'MaxSessions 20',
    'UseDNS no',
    'LogLevel ERROR',
    'AcceptEnv LANG LC_*',
  ];
  fs.writeFileSync(config, lines.join('\n') + '\n');
  const log = fs.openSync(path.join(o.dir, `sshd-${o.listen[0]?.port}.log`), 'a');
  const argv = [SSHD, '-D', '-e', '-f', config];
  const child: ChildProcess = o.netns
    ? spawn('ip', ['netns', 'exec', o.netns, ...argv], { stdio: ['ignore', log, log], detached: true })
    : spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', log, log], detached: true });
  child.unref();
  const pid = child.pid as number;
  try {
    for (const l of o.listen) await waitForPort(l, o.netns, 10_000);
  } catch (e) {
    killTree(pid);
    throw new Error(`${(e as Error).message}\n${fs.readFileSync(path.join(o.dir, `sshd-${o.listen[0]?.port}.log`), 'utf8')}`);
  }
  return {
    pid,
    listen: o.listen,
    hostKeys: keys,
    knownHosts: () =>
      o.listen
        .flatMap((l) => Object.values(keys).map((k) => `${l.port === 22 ? l.address : `[${l.address}]:${l.port}`} ${k}`))
        .join('\n') + '\n',
    stop: async () => {
      killTree(pid);
      await new Promise((r) => setTimeout(r, 20));
    },
  };
}

/** Creates (or resets) a local user for the tests, with a password. */
export function ensureUser(name: string, password: string): { home: string; uid: number } {
  if (spawnSync('id', [name], { stdio: 'ignore' }).status !== 0) run('useradd', ['-m', '-s', '/bin/bash', name]);
  run('chpasswd', [], `${name}:${password}\n`);
  const home = run('getent', ['passwd', name]).split(':')[5] as string;
  const uid = Number(run('id', ['-u', name]).trim());
  return { home, uid };
}

export function removeUser(name: string): void {
  spawnSync('pkill', ['-KILL', '-u', name], { stdio: 'ignore' });
  spawnSync('userdel', ['-r', '-f', name], { stdio: 'ignore' });
  try {
    fs.rmSync(`/etc/sudoers.d/${name}`, { force: true });
  } catch {
    // nothing to remove
  }
}

/** A sudoers rule for a test user (validated with visudo before it is installed). */
export function sudoers(name: string, rule: string): void {
  const file = `/etc/sudoers.d/${name}`;
  const tmp = path.join(os.tmpdir(), `${name}.sudoers`);
  fs.writeFileSync(tmp, `${rule}\n`, { mode: 0o440 });
  run('visudo', ['-c', '-q', '-f', tmp]);
  fs.renameSync(tmp, file);
}

/** Authorizes keys for a user on the servers started with this `dir` (their own AuthorizedKeysFile). */
export function authorize(dir: string, user: string, keys: string[]): void {
  const keysDir = path.join(dir, 'authorized_keys');
  fs.mkdirSync(keysDir, { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(keysDir, user), keys.map((k) => fs.readFileSync(`${k}.pub`, 'utf8')).join(''), { mode: 0o644 });
}

/** A free TCP port on an address (for tests that need one nobody listens on). */
export async function freePort(address = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, address, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
