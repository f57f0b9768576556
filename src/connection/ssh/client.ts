// Opens one authenticated ssh2 client for resolved settings: the TCP socket (direct, through a
// ProxyJump chain or a ProxyCommand), host key verification, authentication, keepalives, retries.
import * as fs from 'fs';
import { Client, utils, type AnyAuthMethod, type ConnectConfig, type NextAuthHandler } from 'ssh2';
import type { Duplex } from 'stream';
import { TsibleError } from '../../errors';
import { HostKeyCheck } from './host-key-check';
import { proxyCommandSocket } from './proxy';
import type { SshSettings } from './settings';

/** A connected client and what must be closed with it (jump hosts, a proxy process). */
export interface OpenClient {
  client: Client;
  /** Closes the client and everything it rides on. */
  close(): void;
}

/** Opens the socket a client rides on when it goes through a jump host. */
export type JumpOpener = (hop: string, target: { host: string; port: number }) => Promise<{ sock: Duplex; close(): void }>;

const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** Host key algorithms with the types known_hosts has for this host first (as OpenSSH orders them). */
function hostKeyAlgorithms(known: string[]): string[] {
  const preferred: string[] = [];
  for (const t of known) {
    if (t === 'ssh-rsa') preferred.push('rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa');
    else if (HOST_KEY_ALGORITHMS.includes(t)) preferred.push(t);
  }
  return [...new Set([...preferred, ...HOST_KEY_ALGORITHMS])];
}

interface LoadedKey {
  file: string;
  key: ReturnType<typeof utils.parseKey>;
}

/** Private keys that can be used: unreadable files and undecryptable keys are skipped, as ssh does in batch mode. */
function loadKeys(s: SshSettings): LoadedKey[] {
  const out: LoadedKey[] = [];
  for (const file of s.identityFiles) {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      continue;
    }
    let key = utils.parseKey(data);
    if (key instanceof Error && s.passphrase !== undefined) key = utils.parseKey(data, s.passphrase);
    if (key instanceof Error) continue;
    out.push({ file, key });
  }
  return out;
}

/** The authentication attempts in OpenSSH's order: agent keys, identity files, keyboard-interactive, password. */
function authSequence(s: SshSettings): AnyAuthMethod[] {
  // "none" first, as ssh does: the server's answer lists the methods it accepts
  const seq: AnyAuthMethod[] = [{ type: 'none', username: s.user }];
  for (const m of s.methods) {
    if (m === 'publickey') {
      if (s.agentSocket && !s.identitiesOnly) seq.push({ type: 'agent', username: s.user, agent: s.agentSocket });
      for (const k of loadKeys(s)) {
        const parsed = Array.isArray(k.key) ? k.key[0] : k.key;
        if (parsed && !(parsed instanceof Error)) seq.push({ type: 'publickey', username: s.user, key: parsed });
      }
    } else if (m === 'password') {
      seq.push({ type: 'password', username: s.user, password: s.password ?? '' });
    } else {
      const password = s.password ?? '';
      seq.push({
        type: 'keyboard-interactive',
        username: s.user,
        prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
      });
    }
  }
  return seq;
}

/** OpenSSH's wording for socket errors ("ssh: connect to host H port P: Connection refused"). */
function socketMessage(e: NodeJS.ErrnoException, s: SshSettings): string {
  const where = `ssh: connect to host ${s.hostname} port ${s.port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `${where}: Connection refused`;
    case 'EHOSTUNREACH':
      return `${where}: No route to host`;
    case 'ENETUNREACH':
      return `${where}: Network is unreachable`;
    case 'ETIMEDOUT':
      return `${where}: Connection timed out`;
    case 'ECONNRESET':
      return `kex_exchange_identification: read: Connection reset by peer`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `ssh: Could not resolve hostname ${s.hostname}: Name or service not known`;
    default:
      return `${where}: ${e.message}`;
  }
}

class Attempt {
  methodsOffered: string[] = [];
  readonly hostKeys: HostKeyCheck;
  constructor(private readonly s: SshSettings) {
    this.hostKeys = new HostKeyCheck(s);
  }

  config(sock: Duplex | undefined): ConnectConfig {
    const s = this.s;
    const seq = authSequence(s);
    const keepalive = s.serverAliveInterval > 0 ? s.serverAliveInterval * 1000 : 30_000;
    const authHandler = (methodsLeft: string[] | null, _partial: boolean | null, next: NextAuthHandler): void => {
      if (methodsLeft) this.methodsOffered = methodsLeft;
      for (;;) {
        const m = seq.shift();
        if (!m) return next(false as unknown as AnyAuthMethod);
        const kind = m.type === 'agent' ? 'publickey' : m.type;
        if (!methodsLeft || kind === 'none' || methodsLeft.includes(kind)) return next(m);
      }
    };
    return {
      host: sock ? undefined : s.hostname,
      port: sock ? undefined : s.port,
      sock: sock as ConnectConfig['sock'],
      username: s.user,
      readyTimeout: Math.max(1, s.connectTimeout) * 1000,
      keepaliveInterval: keepalive,
      keepaliveCountMax: s.serverAliveCountMax,
      forceIPv4: s.family === 4,
      forceIPv6: s.family === 6,
      agentForward: s.forwardAgent && !!s.agentSocket,
      agent: s.agentSocket,
      algorithms: {
        serverHostKey: hostKeyAlgorithms(this.hostKeys.knownTypes()) as never,
        compress: (s.compression ? ['zlib@openssh.com', 'zlib', 'none'] : ['none']) as never,
      },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => verify(this.hostKeys.check(key)),
      authHandler: authHandler as ConnectConfig['authHandler'],
    } as ConnectConfig;
  }

  /** The message ssh would print for this failure. */
  describe(e: Error & { level?: string; code?: string }): { message: string; retry: boolean } {
    const s = this.s;
    if (this.hostKeys.failure) return { message: this.hostKeys.failure, retry: false };
    if (e.level === 'client-authentication') {
      const offered = this.methodsOffered.length ? this.methodsOffered.join(',') : 'publickey';
      return { message: `${s.user}@${s.hostname}: Permission denied (${offered}).`, retry: false };
    }
    if (e.level === 'client-timeout') return { message: `ssh: connect to host ${s.hostname} port ${s.port}: Connection timed out`, retry: true };
    if (e.code) return { message: socketMessage(e as NodeJS.ErrnoException, s), retry: true };
    if (/closed|reset/i.test(e.message)) return { message: `kex_exchange_identification: Connection closed by remote host\r\nConnection closed by ${s.hostname} port ${s.port}`, retry: true };
    return { message: `${s.hostname}: ${e.message}`, retry: true };
  }
}

function connectOnce(s: SshSettings, openJump: JumpOpener): Promise<OpenClient> {
  const attempt = new Attempt(s);
  return new Promise<OpenClient>((resolve, reject) => {
    const client = new Client();
    let under: { close(): void } | undefined;
    let settled = false;
    const fail = (e: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      under?.close();
      const d = attempt.describe(e);
      reject(Object.assign(new TsibleError('CONNECTION', `Failed to connect to the host via ssh: ${d.message}`), { retry: d.retry }));
    };
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      // small request/response packets: Nagle's algorithm would hold each one back ~40 ms
      client.setNoDelay(true);
      attempt.hostKeys.commit();
      resolve({
        client,
        close: () => {
          client.end();
          under?.close();
        },
      });
    });
    client.on('connect', () => client.setNoDelay(true));
    client.on('error', fail);
    client.on('close', () => fail(Object.assign(new Error('connection closed'), { level: 'client-socket' })));
    const start = async () => {
      let sock: Duplex | undefined;
      if (s.proxyJump) {
        const hops = s.proxyJump.split(',');
        const j = await openJump(hops.join(','), { host: s.hostname, port: s.port });
        under = j;
        sock = j.sock;
      } else if (s.proxyCommand) {
        const p = proxyCommandSocket(s.proxyCommand);
        under = p;
        sock = p.sock;
      }
      client.connect(attempt.config(sock));
    };
    start().catch((e: Error) => {
      if (settled) return;
      settled = true;
      under?.close();
      reject(e instanceof TsibleError ? e : new TsibleError('CONNECTION', `Failed to connect to the host via ssh: ${e.message}`));
    });
  });
}

/** Connects with Ansible's retry schedule: 1 + retries attempts, waiting 2^n - 1 s (at most 30 s) between. */
export async function openClient(s: SshSettings, openJump: JumpOpener): Promise<OpenClient> {
  let lastError: unknown;
  for (let attempt = 0; attempt < s.attempts; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(30, 2 ** attempt - 1) * 1000));
    try {
      return await connectOnce(s, openJump);
    } catch (e) {
      lastError = e;
      if (!(e as { retry?: boolean }).retry) break;
    }
  }
  throw lastError;
}
