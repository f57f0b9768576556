// community.crypto.x509_certificate_info, openssl_csr_info and openssl_privatekey_info:
// read a certificate, CSR or key from the target (or content) and report what it holds.
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { catchFail } from '../common/fail';
import { CryptoError } from './errors';
import { certificateInfo, csrInfo, privateKeyInfo } from './info';
import { certificateInfoSpec, infoConstraints, privateKeyInfoSpec } from './specs';
import { ioErrorText, snapshotTarget } from './target';
import { parseTimeSpec } from './timespec';
import { parseCertificate } from './x509';

/** The bytes to inspect: `content`, else the file at `path` on the target (null with the IOError text). */
async function source(args: Record<string, unknown>, ctx: ModuleContext): Promise<{ data: Buffer | null; error?: string }> {
  if (typeof args.content === 'string') return { data: Buffer.from(args.content) };
  const path = args.path as string;
  const snap = await snapshotTarget(ctx.conn, null, [path]);
  const read = snap.inputs.get(path);
  if (read && read.ok) return { data: read.content };
  return { data: null, error: ioErrorText(read && !read.ok ? read.errno : 'ENOENT', path) };
}

async function runCertificateInfo(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const { data, error } = await source(args, ctx);
  if (!data) throw new CryptoError(`Error while reading certificate file from disk: ${error}`);
  const validAt: Record<string, Date> = {};
  for (const [k, v] of Object.entries((args.valid_at as Record<string, unknown> | null) ?? {})) {
    if (typeof v !== 'string') throw new CryptoError(`The value for valid_at.${k} must be of type string (got <class '${typeof v === 'number' ? 'int' : 'dict'}'>)`);
    validAt[k] = parseTimeSpec(v, `valid_at.${k}`);
  }
  const allowDer = typeof args.content !== 'string';
  const info = certificateInfo(data, false, allowDer);
  const cert = parseCertificate(data, allowDer);
  const valid: Record<string, boolean> = {};
  for (const [k, t] of Object.entries(validAt)) valid[k] = cert.notBefore.getTime() <= t.getTime() && t.getTime() <= cert.notAfter.getTime();
  return { changed: false, ...info, valid_at: valid };
}

async function runCsrInfo(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const { data, error } = await source(args, ctx);
  if (!data) throw new CryptoError(`Error while reading CSR file from disk: ${error}`);
  const info = csrInfo(data, false);
  if (!info.signature_valid) return { changed: false, failed: true, msg: 'CSR signature is invalid!', ...info };
  return { changed: false, ...info };
}

async function runPrivateKeyInfo(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const base = { can_load_key: false, can_parse_key: false, key_is_consistent: null };
  const { data, error } = await source(args, ctx);
  if (!data) return { changed: false, failed: true, msg: `Error while reading private key file from disk: ${error}`, ...base };
  const r = privateKeyInfo(data, (args.passphrase as string | null) ?? null, {
    privateData: !!args.return_private_key_data,
    checkConsistency: !!args.check_consistency,
  });
  const result: ModuleResult = { changed: false, ...base, can_load_key: true, ...r.result };
  if (r.error) return { ...result, failed: true, msg: r.error };
  return result;
}

export const x509CertificateInfoModule: ModuleDef = {
  name: 'x509_certificate_info',
  fqcns: ['community.crypto.x509_certificate_info'],
  spec: certificateInfoSpec,
  constraints: infoConstraints,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runCertificateInfo(args, ctx)),
};

export const opensslCsrInfoModule: ModuleDef = {
  name: 'openssl_csr_info',
  fqcns: ['community.crypto.openssl_csr_info'],
  spec: { path: { type: 'path' }, content: { type: 'str' }, name_encoding: certificateInfoSpec.name_encoding, select_crypto_backend: certificateInfoSpec.select_crypto_backend },
  constraints: infoConstraints,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runCsrInfo(args, ctx)),
};

export const opensslPrivateKeyInfoModule: ModuleDef = {
  name: 'openssl_privatekey_info',
  fqcns: ['community.crypto.openssl_privatekey_info'],
  spec: privateKeyInfoSpec,
  constraints: infoConstraints,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runPrivateKeyInfo(args, ctx)),
};
