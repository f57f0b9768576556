// known_hosts as OpenSSH reads and writes it: plain, wildcard and hashed (|1|salt|hash) host
// entries, [host]:port, negation, @revoked; verdicts for a presented key; accept-new records.
import { createHash, createHmac, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { patternListMatch } from './ssh-config';

export interface HostKey {
  /** Key type from the blob: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ... */
  type: string;
  blob: Buffer;
}

export interface KnownEntry {
  file: string;
  line: number;
  marker?: 'revoked' | 'cert-authority';
  type: string;
  blob: Buffer;
}

export type Verdict =
  | { kind: 'match' }
  | { kind: 'unknown'; otherTypes: KnownEntry[] }
  | { kind: 'changed'; known: KnownEntry }
  | { kind: 'revoked'; entry: KnownEntry };

/** The type name inside an SSH public key blob. */
export function keyFromBlob(blob: Buffer): HostKey {
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return { type: blob.subarray(4, 4 + len).toString('latin1'), blob };
}

/** OpenSSH's default fingerprint: SHA256:<base64 without padding>. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** ED25519, RSA, ECDSA, DSA: the names OpenSSH prints in its messages. */
export function keyTypeLabel(type: string): string {
  if (type === 'ssh-ed25519') return 'ED25519';
  if (type === 'ssh-rsa') return 'RSA';
  if (type.startsWith('ecdsa-sha2-')) return 'ECDSA';
  if (type === 'ssh-dss') return 'DSA';
  if (type.startsWith('sk-')) return type.includes('ed25519') ? 'ED25519-SK' : 'ECDSA-SK';
  return type.toUpperCase();
}

/** The name a host has in known_hosts: `host`, or `[host]:port` off port 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function hashedMatches(entry: string, name: string): boolean {
  const parts = entry.split('|');
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2] ?? '', 'base64');
  const want = Buffer.from(parts[3] ?? '', 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return got.length === want.length && got.equals(want);
}

function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatches(field, name);
  return patternListMatch(field.split(','), name);
}

/** All entries of the given files that name this host (lines that fail to parse are skipped). */
export function entriesFor(files: string[], name: string): KnownEntry[] {
  const out: KnownEntry[] = [];
  for (const file of files) {
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    content.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const fields = line.split(/\s+/);
      let marker: KnownEntry['marker'];
      if (fields[0]?.startsWith('@')) {
        const m = fields.shift();
        if (m === '@revoked') marker = 'revoked';
        else if (m === '@cert-authority') marker = 'cert-authority';
        else return;
      }
      const [hosts, type, key] = fields;
      if (!hosts || !type || !key) return;
      // @revoked lines may name any host ("*"): the key is what counts
      if (marker !== 'revoked' && !hostFieldMatches(hosts, name)) return;
      out.push({ file, line: i + 1, marker, type, blob: Buffer.from(key, 'base64') });
    });
  }
  return out;
}

/** What known_hosts says about a presented key (cert-authority lines are not used). */
export function verify(files: string[], name: string, key: HostKey): Verdict {
  const entries = entriesFor(files, name);
  const revoked = entries.find((e) => e.marker === 'revoked' && e.blob.equals(key.blob));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = entries.filter((e) => e.marker === undefined);
  if (plain.some((e) => e.type === key.type && e.blob.equals(key.blob))) return { kind: 'match' };
  const sameType = plain.find((e) => e.type === key.type);
  if (sameType) return { kind: 'changed', known: sameType };
  return { kind: 'unknown', otherTypes: plain };
}

/** Key types known for a host, so the handshake asks for a key that can be checked. */
export function knownTypes(files: string[], name: string): string[] {
  return [...new Set(entriesFor(files, name).filter((e) => e.marker === undefined).map((e) => e.type))];
}

/** Appends the key to the first user known_hosts file (hashed when HashKnownHosts is on). */
export function record(file: string, name: string, key: HostKey, hashed: boolean): void {
  let hostField = name;
  if (hashed) {
    const salt = randomBytes(20);
    hostField = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const existing = fs.readFileSync(file);
    if (existing.length > 0 && existing[existing.length - 1] !== 0x0a) prefix = '\n';
  } catch {
    // a new file
  }
  fs.appendFileSync(file, `${prefix}${hostField} ${key.type} ${key.blob.toString('base64')}\n`, { mode: 0o600 });
}
