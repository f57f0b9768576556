// community.crypto.openssl_privatekey: a private key generated on the controller and written
// to the target (0600 unless `mode` says otherwise); an existing key of the right type, size,
// curve, passphrase and format is kept, as the `regenerate` policy decides.
import type * as crypto from 'crypto';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { catchFail } from '../common/fail';
import { CryptoError } from './errors';
import { diffSide, privateKeyInfo } from './info';
import {
  CURVES, describeKey, fingerprints, generatePrivateKey, identifyKeyFormat, loadPrivateKey, serializePrivateKey, spkiDer, wantedFormat,
} from './keys';
import type { KeyType } from './keys';
import { removeManaged, settleAttributes, writeManaged } from './output';
import type { ManagedFile } from './output';
import { privateKeyConstraints, privateKeySpec } from './specs';
import { requireParentDir, snapshotTarget } from './target';

interface KeyWanted {
  type: KeyType;
  size: number;
  curve: string | null;
  passphrase: string | null;
  cipher: string | null;
  format: string;
  formatMismatch: string;
  regenerate: string;
}

function wantedFrom(args: Record<string, unknown>): KeyWanted {
  return {
    type: args.type as KeyType,
    size: args.size as number,
    curve: (args.curve as string | null) ?? null,
    passphrase: (args.passphrase as string | null) ?? null,
    cipher: (args.cipher as string | null) ?? null,
    format: args.format as string,
    formatMismatch: args.format_mismatch as string,
    regenerate: args.force ? 'always' : (args.regenerate as string),
  };
}

const REGENERATE_HINT =
  ' Will not proceed. To force regeneration, call the module with `generate` set to `partial_idempotence`, `full_idempotence` or `always`, or with `force=true`.';

function matchesTypeAndSize(key: crypto.KeyObject, w: KeyWanted): boolean {
  const d = describeKey(key);
  if (d.type !== w.type) return false;
  if (d.type === 'RSA' || d.type === 'DSA') return d.size === w.size;
  if (d.type === 'ECC') return w.curve !== null && CURVES[w.curve] !== undefined && d.curve === w.curve;
  return true;
}

function matchesFormat(existing: Buffer, w: KeyWanted): boolean {
  return w.format === 'auto_ignore' || identifyKeyFormat(existing) === wantedFormat(w.format, w.type);
}

/** community.crypto's needs_regeneration, failing where the policy says to fail. */
export function needsRegeneration(existing: Buffer | null, w: KeyWanted): boolean {
  if (w.regenerate === 'always' || existing === null) return true;
  let key: crypto.KeyObject;
  try {
    key = loadPrivateKey(existing, w.passphrase, w.type);
  } catch {
    if (w.regenerate === 'full_idempotence') return true;
    throw new CryptoError(
      'Unable to read the key. The key is protected with a another passphrase / no passphrase or broken. Will not proceed. ' +
        'To force regeneration, call the module with `generate` set to `full_idempotence` or `always`, or with `force=true`.',
    );
  }
  const partial = w.regenerate === 'partial_idempotence' || w.regenerate === 'full_idempotence';
  if (w.regenerate !== 'never' && !matchesTypeAndSize(key, w)) {
    if (partial) return true;
    throw new CryptoError(`Key has wrong type and/or size.${REGENERATE_HINT}`);
  }
  if (w.formatMismatch === 'regenerate' && w.regenerate !== 'never' && !matchesFormat(existing, w)) {
    if (partial) return true;
    throw new CryptoError(`Key has wrong format.${REGENERATE_HINT} To convert the key, set \`format_mismatch\` to \`convert\`.`);
  }
  return false;
}

function serialize(key: crypto.KeyObject, w: KeyWanted): Buffer {
  if (w.cipher && w.passphrase && w.cipher !== 'auto') throw new CryptoError('Cryptography backend can only use "auto" for cipher option.');
  try {
    return serializePrivateKey(key, wantedFormat(w.format, w.type), w.cipher && w.passphrase ? w.passphrase : null);
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    throw new CryptoError(`Error while serializing the private key in the required format "${w.format}"`);
  }
}

function tryLoad(content: Buffer | null, w: KeyWanted): crypto.KeyObject | null {
  if (content === null) return null;
  try {
    return loadPrivateKey(content, w.passphrase, w.type);
  } catch {
    return null;
  }
}

async function runPrivateKey(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const path = args.path as string;
  const w = wantedFrom(args);
  const snap = await snapshotTarget(ctx.conn, path, [], args);
  const result: ModuleResult = { filename: path, changed: false };
  if (args.state === 'absent') {
    const removed = await removeManaged(ctx, path, snap.content !== null, args.backup as boolean);
    return dump(result, w, null, null, removed.changed, removed.backupFile, args, { before: {}, after: {} });
  }
  requireParentDir(snap, path);
  const file: ManagedFile = { path, args, defaultMode: '0600', snap, secret: true };
  let newKey: crypto.KeyObject | null = null;
  let written: Buffer | null = null;
  let backupFile: string | undefined;
  let changed = false;
  if (needsRegeneration(snap.content, w)) {
    if (!ctx.check) {
      if (w.type === 'ECC' && w.curve && CURVES[w.curve]?.deprecated) ctx.warn(`Elliptic curves of type ${w.curve} should not be used for new keys!`);
      newKey = generatePrivateKey(w.type, w.size, w.curve);
      written = serialize(newKey, w);
      backupFile = await writeManaged(ctx, file, written, args.backup as boolean);
    }
    changed = true;
  } else if (w.formatMismatch === 'convert' && snap.content !== null && !matchesFormat(snap.content, w)) {
    if (!ctx.check) {
      newKey = loadPrivateKey(snap.content, w.passphrase, w.type);
      written = serialize(newKey, w);
      backupFile = await writeManaged(ctx, file, written, args.backup as boolean);
    }
    changed = true;
  }
  if (written === null) changed = (await settleAttributes(ctx, file)) || changed;
  const before = diffSide(snap.content, (c) => info(c, w), 'can_parse_key');
  const after = diffSide(written ?? snap.content, (c) => info(c, w), 'can_parse_key');
  return dump(result, w, newKey ?? tryLoad(snap.content, w), written ?? snap.content, changed, backupFile, args, { before, after });
}

function info(content: Buffer, w: KeyWanted): Record<string, unknown> {
  const r = privateKeyInfo(content, w.passphrase, { preferOne: true });
  if (r.error) throw new Error(r.error);
  return r.result;
}

function dump(
  result: ModuleResult,
  w: KeyWanted,
  key: crypto.KeyObject | null,
  bytes: Buffer | null,
  changed: boolean,
  backupFile: string | undefined,
  args: Record<string, unknown>,
  diff: { before: Record<string, unknown>; after: Record<string, unknown> },
): ModuleResult {
  const out: ModuleResult = { ...result, changed, type: w.type, size: w.size, fingerprint: key ? fingerprints(spkiDer(key)) : null };
  if (w.type === 'ECC') out.curve = w.curve;
  if (args.return_content) {
    if (bytes === null) out.privatekey = null;
    else out.privatekey = identifyKeyFormat(bytes) === 'raw' ? bytes.toString('base64') : bytes.toString('utf8');
  }
  if (backupFile) out.backup_file = backupFile;
  out.diff = diff;
  return out;
}

export const opensslPrivateKeyModule: ModuleDef = {
  name: 'openssl_privatekey',
  fqcns: ['community.crypto.openssl_privatekey'],
  spec: privateKeySpec,
  constraints: privateKeyConstraints,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runPrivateKey(args, ctx)),
};
