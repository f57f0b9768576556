// Keys, CSRs and certificates differ in bytes on every run, so a case can declare them
// (case.yml `crypto_files: [glob, ...]`) and the tree records what matters instead, read by
// the openssl CLI: key type and size or curve, subject, issuer, extensions (key identifiers
// as presence only), validity length, and which key in the tree matches and which
// certificate in the tree signed it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Case-level options for crypto material. */
export interface CryptoOptions {
  /** Globs relative to out/ ('*' within a path segment, '**' across). */
  patterns: readonly string[];
  /** Passphrase of encrypted keys in the tree (both tools are given the same one). */
  passphrase?: string;
}

function globToRegExp(glob: string): RegExp {
  const re = glob
    .split('**')
    .map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${re}$`);
}

export function isCryptoFile(rel: string, opts: CryptoOptions | undefined): boolean {
  return !!opts && opts.patterns.some((g) => globToRegExp(g).test(rel));
}

function openssl(args: string[], input?: Buffer): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout ?? '' };
}

/** Lines of `openssl ... -text` without hex dumps, key identifiers reduced to their presence. */
function cleanText(text: string): string[] {
  const out: string[] = [];
  let keyId = false;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    if (/^\s+([0-9a-fA-F]{2}:)+[0-9a-fA-F]{0,2}$/.test(line)) {
      if (keyId) out.push(line.replace(/\S.*/, '<key id>'));
      keyId = false;
      continue;
    }
    keyId = /Key Identifier:\s*$/.test(line);
    out.push(line.replace(/^(\s*)keyid:[0-9A-F:]+$/, '$1keyid:<key id>'));
  }
  return out;
}

function publicKeySummary(pem: string): string[] {
  const r = openssl(['pkey', '-pubin', '-noout', '-text'], Buffer.from(pem));
  return r.ok ? cleanText(r.out).filter((l) => !/^(pub|Modulus|priv):?$/.test(l.trim())) : ['<unreadable public key>'];
}

function pemLabel(text: string): string | null {
  return /^-----BEGIN ([^-]+)-----/m.exec(text)?.[1] ?? null;
}

interface Material {
  rel: string;
  kind: 'key' | 'public key' | 'csr' | 'certificate' | 'other';
  /** SubjectPublicKeyInfo PEM (to relate keys, CSRs and certificates). */
  pubkey?: string;
  summary: string[];
}

function readMaterial(file: string, rel: string, passphrase: string | undefined): Material {
  const bytes = fs.readFileSync(file);
  const text = bytes.toString('utf8');
  const label = pemLabel(text);
  const pass = ['-passin', `pass:${passphrase ?? ''}`];
  if (label && label.endsWith('PRIVATE KEY')) {
    const encrypted = label.startsWith('ENCRYPTED') || /Proc-Type: 4,ENCRYPTED/.test(text);
    const head = [`PEM ${label}${encrypted ? ' (encrypted)' : ''}`];
    const dek = /^DEK-Info: ([^,]+),/m.exec(text);
    if (dek) head.push(`cipher ${dek[1]}`);
    const r = openssl(['pkey', '-noout', '-text', ...pass], bytes);
    const pub = openssl(['pkey', '-pubout', ...pass], bytes);
    const summary = r.ok ? cleanText(r.out).filter((l) => /bit|OID|CURVE|Private-Key|Exponent: \d/.test(l) && !/privateExponent/.test(l)) : ['<unreadable key>'];
    return { rel, kind: 'key', pubkey: pub.ok ? pub.out : undefined, summary: [...head, ...summary] };
  }
  if (label === 'PUBLIC KEY') return { rel, kind: 'public key', pubkey: text, summary: ['PEM PUBLIC KEY', ...publicKeySummary(text)] };
  if (label === 'CERTIFICATE REQUEST') {
    const r = openssl(['req', '-noout', '-text', '-nameopt', 'RFC2253', '-reqopt', 'no_pubkey,no_sigdump,no_header,no_version,no_signame'], bytes);
    const pub = openssl(['req', '-noout', '-pubkey'], bytes);
    const verify = openssl(['req', '-noout', '-verify'], bytes);
    return {
      rel, kind: 'csr', pubkey: pub.out,
      summary: ['PEM CERTIFICATE REQUEST', `self-signature ${verify.ok ? 'valid' : 'INVALID'}`, ...cleanText(r.out), ...publicKeySummary(pub.out)],
    };
  }
  if (label === 'CERTIFICATE') {
    const r = openssl(['x509', '-noout', '-text', '-nameopt', 'RFC2253', '-certopt', 'no_pubkey,no_sigdump,no_serial,no_validity,no_header,no_signame'], bytes);
    const pub = openssl(['x509', '-noout', '-pubkey'], bytes);
    const dates = openssl(['x509', '-noout', '-startdate', '-enddate'], bytes).out;
    const start = Date.parse(/notBefore=(.*)/.exec(dates)?.[1] ?? '');
    const end = Date.parse(/notAfter=(.*)/.exec(dates)?.[1] ?? '');
    const days = Number.isNaN(start) || Number.isNaN(end) ? 'unreadable' : `${Math.round((end - start) / 86400000)} days`;
    return { rel, kind: 'certificate', pubkey: pub.out, summary: ['PEM CERTIFICATE', `validity ${days}`, ...cleanText(r.out), ...publicKeySummary(pub.out)] };
  }
  if (/^(ssh-\S+|ecdsa-sha2-\S+) /.test(text)) return { rel, kind: 'public key', summary: [`OpenSSH ${text.split(' ')[0]}`] };
  return { rel, kind: 'other', summary: [label ? `PEM ${label}` : 'not PEM'] };
}

/** Does `issuer` verify `cert`? A certificate counts as its own issuer only when it is self-signed. */
function signedBy(cert: Material, issuer: Material, root: string): boolean {
  const partial = cert.rel === issuer.rel ? [] : ['-partial_chain'];
  const r = spawnSync('openssl', ['verify', '-no-CApath', '-no-CAstore', ...partial, '-CAfile', path.join(root, issuer.rel), path.join(root, cert.rel)], { encoding: 'utf8' });
  return r.status === 0;
}

/** Summaries of the crypto files under `root`, keyed by relative path, with their relations. */
export function summarizeCrypto(root: string, rels: readonly string[], opts: CryptoOptions): Map<string, string> {
  const items = rels.map((rel) => readMaterial(path.join(root, rel), rel, opts.passphrase));
  const out = new Map<string, string>();
  for (const m of items) {
    const lines = [...m.summary];
    if (m.kind !== 'key' && m.pubkey) {
      const keys = items.filter((k) => k.kind === 'key' && k.pubkey === m.pubkey).map((k) => k.rel);
      if (keys.length) lines.push(`key: ${keys.join(', ')}`);
    }
    if (m.kind === 'certificate') {
      const issuers = items.filter((i) => i.kind === 'certificate' && signedBy(m, i, root)).map((i) => i.rel);
      lines.push(`signed by: ${issuers.join(', ') || 'none in the tree'}`);
    }
    out.set(m.rel, `crypto:\n${lines.join('\n')}\n`);
  }
  return out;
}
