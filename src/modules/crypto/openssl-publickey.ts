// community.crypto.openssl_publickey: the public half of a private key (read from the target
// or given as content), written as PEM or OpenSSH; kept when the file already holds it.
import * as crypto from 'crypto';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { catchFail } from '../common/fail';
import { CryptoError } from './errors';
import { diffSide, publicKeyInfo } from './info';
import { BadPassphraseError, fingerprints, loadPrivateKey, publicKeyOpenSsh, publicKeyPem, spkiDer } from './keys';
import { removeManaged, settleAttributes, writeManaged } from './output';
import { publicKeyConstraints, publicKeySpec } from './specs';
import { inputBytes, inputExists, requireParentDir, snapshotTarget } from './target';

/** The public key file's text as community.crypto writes it for `format`. */
function render(key: crypto.KeyObject, format: string): Buffer {
  return Buffer.from(format === 'OpenSSH' ? publicKeyOpenSsh(key) : publicKeyPem(key));
}

/** Re-serialises an existing public key file so it compares with what we would write; null when unreadable. */
function normalizeExisting(content: Buffer, format: string): Buffer | null {
  try {
    if (format === 'OpenSSH') {
      const [type, b64] = content.toString('utf8').trim().split(/\s+/);
      return type && b64 ? Buffer.from(`${type} ${b64}`) : null;
    }
    return Buffer.from(publicKeyPem(crypto.createPublicKey({ key: content, format: 'pem' })));
  } catch {
    return null;
  }
}

function publicInfo(content: Buffer): Record<string, unknown> {
  const key = crypto.createPublicKey({ key: content, format: 'pem' });
  const pk = publicKeyInfo(key, true);
  return { fingerprints: pk.fingerprints, type: pk.type, public_data: pk.public_data };
}

async function runPublicKey(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const path = args.path as string;
  const keyPath = (args.privatekey_path as string | null) ?? null;
  const keyContent = (args.privatekey_content as string | null) ?? null;
  const format = args.format as string;
  const snap = await snapshotTarget(ctx.conn, path, keyPath !== null && keyContent === null ? [keyPath] : [], args);
  const base: ModuleResult = { privatekey: keyPath, filename: path, format };
  if (args.state === 'absent') {
    const removed = await removeManaged(ctx, path, snap.content !== null, args.backup as boolean);
    const out: ModuleResult = { ...base, changed: removed.changed, fingerprint: {} };
    if (removed.backupFile) out.backup_file = removed.backupFile;
    if (args.return_content) out.publickey = null;
    return { ...out, diff: { before: {}, after: {} } };
  }
  requireParentDir(snap, path, true);
  const keyMissing = keyContent === null && keyPath !== null && !inputExists(snap, keyPath);
  const passphrase = (args.privatekey_passphrase as string | null) ?? null;
  const loadKey = (): crypto.KeyObject => {
    try {
      return loadPrivateKey(keyContent !== null ? Buffer.from(keyContent) : inputBytes(snap, keyPath as string), passphrase);
    } catch (e) {
      if (e instanceof BadPassphraseError) throw new CryptoError(e.message);
      throw e;
    }
  };
  const matchesKey = (key: crypto.KeyObject): boolean => {
    const existing = snap.content === null ? null : normalizeExisting(snap.content, format);
    return existing !== null && existing.equals(render(key, format));
  };
  const before = diffSide(snap.content, publicInfo, 'can_parse_key');
  const file = { path, args, snap };
  if (ctx.check) {
    // community.crypto's check(): a missing file or key means "would change", nothing is loaded needlessly
    const kept = snap.content !== null && !(await settleAttributes(ctx, file)) && !keyMissing && matchesKey(loadKey());
    const out: ModuleResult = { ...base, changed: !!args.force || !kept, fingerprint: {} };
    if (args.return_content) out.publickey = snap.content ? snap.content.toString('utf8') : null;
    return { ...out, diff: { before, after: before } };
  }
  if (keyMissing) throw new CryptoError(`The private key ${keyPath} does not exist`);
  const key = loadKey();
  let changed = false;
  let backupFile: string | undefined;
  let written: Buffer | null = null;
  if (!matchesKey(key) || args.force) {
    written = render(key, format);
    backupFile = await writeManaged(ctx, file, written, args.backup as boolean);
    changed = true;
  }
  if (written === null) changed = (await settleAttributes(ctx, file)) || changed;
  const out: ModuleResult = { ...base, changed, fingerprint: fingerprints(spkiDer(key)) };
  if (backupFile) out.backup_file = backupFile;
  if (args.return_content) {
    const bytes = written ?? snap.content;
    out.publickey = bytes ? bytes.toString('utf8') : null;
  }
  out.diff = { before, after: written ? diffSide(written, publicInfo, 'can_parse_key') : before };
  return out;
}

export const opensslPublicKeyModule: ModuleDef = {
  name: 'openssl_publickey',
  fqcns: ['community.crypto.openssl_publickey'],
  spec: publicKeySpec,
  constraints: publicKeyConstraints,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runPublicKey(args, ctx)),
};
