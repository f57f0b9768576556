// Helpers for the mirror and stand-in tests: free ports, daemons started from downloaded
// binaries with their output kept, waiting for conditions, downloads checked against the
// checksum files the mirror publishes.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => ok(port));
    });
  });
}

export interface Daemon {
  proc: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function startDaemon(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Daemon {
  const proc = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  // 'close' comes after the output is drained, unlike 'exit'
  const exited = new Promise<number | null>((ok) => proc.once('close', (code) => ok(code)));
  return {
    proc,
    output: () => out,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
        clearTimeout(timer);
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      }
      await exited;
    },
  };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function httpGet(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((ok, fail) => {
    http
      .get(url, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      })
      .on('error', fail);
  });
}

export const sha256 = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

/** Downloads `url` to `dest`, failing unless the answer is 200. */
export async function download(url: string, dest: string): Promise<Buffer> {
  const r = await httpGet(url);
  if (r.status !== 200) throw new Error(`GET ${url}: ${r.status}`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, r.body, { mode: 0o755 });
  return r.body;
}

export function sh(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): { rc: number; out: string; stdout: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...opts.env }, cwd: opts.cwd, input: opts.input, timeout: 120_000 });
  return { rc: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: r.stdout ?? '' };
}

/** curl with a client certificate (how the roles talk to etcd's and the API server's HTTP APIs). */
export function curlTls(pki: string, ca: string, client: string, url: string, extra: string[] = []): { rc: number; out: string } {
  return sh('curl', ['-sS', '--cacert', path.join(pki, `${ca}.pem`), '--cert', path.join(pki, `${client}.pem`), '--key', path.join(pki, `${client}.key`), ...extra, url]);
}

/** A kubeconfig as the roles write it: CA, server, client certificate and key by path. */
export function writeKubeconfig(file: string, server: string, pki: string, ca: string, user: string): void {
  const userBlock = `    client-certificate: ${pki}/${user}.pem\n    client-key: ${pki}/${user}.key\n`;
  fs.writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: ${pki}/${ca}.pem\n    server: ${server}\n  name: kubernetes\n` +
      `contexts:\n- context:\n    cluster: kubernetes\n    user: u\n  name: default\ncurrent-context: default\nusers:\n- name: u\n  user:\n${userBlock}`,
  );
}
