// community.crypto.openssl_csr (a CSR file on the target) and openssl_csr_pipe (CSR text in,
// CSR text out): signed on the controller with the private key read from the target or given
// as content; an existing CSR whose subject, extensions and key match is kept.
import type * as crypto from 'crypto';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { catchFail } from '../common/fail';
import { csrDumpFields, csrGenerationError, csrNeedsRegeneration, csrWantedFrom, generateCsr, loadSigningKey } from './csr-request';
import type { CsrWanted } from './csr-request';
import { CryptoError } from './errors';
import { csrInfo, diffSide } from './info';
import { removeManaged, settleAttributes, writeManaged } from './output';
import { csrConstraints, csrPipeConstraints, csrPipeSpec, csrSpec } from './specs';
import { inputBytes, requireParentDir, snapshotTarget } from './target';
import type { TargetSnapshot } from './target';

/** A lazy private key loader: community.crypto only reads the key when it must. */
function keyLoader(args: Record<string, unknown>, snap: TargetSnapshot): () => crypto.KeyObject {
  let key: crypto.KeyObject | null = null;
  return () => {
    if (key) return key;
    const content = args.privatekey_content as string | null;
    const bytes = content !== null && content !== undefined ? Buffer.from(content) : inputBytes(snap, args.privatekey_path as string);
    key = loadSigningKey(bytes, (args.privatekey_passphrase as string | null) ?? null);
    return key;
  };
}

function signOrFail(w: CsrWanted, key: crypto.KeyObject): Buffer {
  try {
    return generateCsr(w, key);
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    throw csrGenerationError(e as Error, w);
  }
}

function keyInputs(args: Record<string, unknown>): string[] {
  const p = args.privatekey_path as string | null;
  return p && (args.privatekey_content === null || args.privatekey_content === undefined) ? [p] : [];
}

const csrDiff = (c: Buffer): Record<string, unknown> => csrInfo(c, true);

function warnVersion(args: Record<string, unknown>, ctx: ModuleContext): void {
  if (args.version !== 1) ctx.warn('The cryptography backend only supports version 1. (The only valid value according to RFC 2986.)');
}

async function runCsr(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const path = args.path as string;
  warnVersion(args, ctx);
  const w = csrWantedFrom(args);
  const snap = await snapshotTarget(ctx.conn, path, keyInputs(args), args);
  const fields = csrDumpFields(w, (args.privatekey_path as string | null) ?? null, args);
  if (args.state === 'absent') {
    const removed = await removeManaged(ctx, path, snap.content !== null, args.backup as boolean);
    const out: ModuleResult = { ...fields, filename: path, changed: removed.changed, diff: { before: {}, after: {} } };
    if (args.return_content) out.csr = null;
    if (removed.backupFile) out.backup_file = removed.backupFile;
    return out;
  }
  requireParentDir(snap, path);
  const key = keyLoader(args, snap);
  const file = { path, args, snap };
  let changed = false;
  let written: Buffer | null = null;
  let backupFile: string | undefined;
  if (args.force || csrNeedsRegeneration(snap.content, w, key)) {
    if (!ctx.check) {
      written = signOrFail(w, key());
      backupFile = await writeManaged(ctx, file, written, args.backup as boolean);
    }
    changed = true;
  }
  if (written === null) changed = (await settleAttributes(ctx, file)) || changed;
  const bytes = written ?? snap.content;
  const out: ModuleResult = { ...fields, filename: path, changed };
  if (args.return_content) out.csr = bytes ? bytes.toString('utf8') : null;
  if (backupFile) out.backup_file = backupFile;
  out.diff = { before: diffSide(snap.content, csrDiff, 'can_parse_csr'), after: diffSide(bytes, csrDiff, 'can_parse_csr') };
  return out;
}

async function runCsrPipe(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  warnVersion(args, ctx);
  const w = csrWantedFrom(args);
  const existing = typeof args.content === 'string' ? Buffer.from(args.content) : null;
  const snap = await snapshotTarget(ctx.conn, null, keyInputs(args));
  const key = keyLoader(args, snap);
  let changed = false;
  let made: Buffer | null = null;
  if (csrNeedsRegeneration(existing, w, key)) {
    if (!ctx.check) made = signOrFail(w, key());
    changed = true;
  }
  const bytes = made ?? existing;
  return {
    ...csrDumpFields(w, (args.privatekey_path as string | null) ?? null, args),
    csr: bytes ? bytes.toString('utf8') : null,
    changed,
    diff: { before: diffSide(existing, csrDiff, 'can_parse_csr'), after: diffSide(bytes, csrDiff, 'can_parse_csr') },
  };
}

export const opensslCsrModule: ModuleDef = {
  name: 'openssl_csr',
  fqcns: ['community.crypto.openssl_csr'],
  spec: csrSpec,
  constraints: csrConstraints,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runCsr(args, ctx)),
};

export const opensslCsrPipeModule: ModuleDef = {
  name: 'openssl_csr_pipe',
  fqcns: ['community.crypto.openssl_csr_pipe'],
  spec: csrPipeSpec,
  constraints: csrPipeConstraints,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runCsrPipe(args, ctx)),
};
