// community.crypto.x509_certificate (a certificate file on the target) and
// x509_certificate_pipe (certificate text in and out), with the selfsigned and ownca providers.
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { catchFail } from '../common/fail';
import { certificateBackend, certificateInputs } from './cert-backend';
import type { CertificateBackend } from './cert-backend';
import { certificateInfo, diffSide } from './info';
import { pyInt } from './keys';
import { removeManaged, settleAttributes, writeManaged } from './output';
import { certificateConstraints, certificatePipeConstraints, certificatePipeSpec, certificateSpec } from './specs';
import { requireParentDir, snapshotTarget } from './target';
import { asn1Time } from './timespec';
import { parseCertificate } from './x509';

const certDiff = (c: Buffer): Record<string, unknown> => certificateInfo(c, true);

/** notBefore/notAfter/serial_number: planned values in check mode, else the certificate's. */
function validityFields(ctx: ModuleContext, backend: CertificateBackend, cert: Buffer | null): Record<string, unknown> {
  if (ctx.check || cert === null) {
    return { notBefore: asn1Time(backend.notBefore), notAfter: asn1Time(backend.notAfter), serial_number: pyInt(backend.serial) };
  }
  const parsed = parseCertificate(cert);
  return { notBefore: asn1Time(parsed.notBefore), notAfter: asn1Time(parsed.notAfter), serial_number: pyInt(parsed.serial) };
}

async function runCertificate(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const path = args.path as string;
  const snap = await snapshotTarget(ctx.conn, path, args.state === 'absent' ? [] : certificateInputs(args), args);
  const base: ModuleResult = { privatekey: args.privatekey_path ?? null, csr: args.csr_path ?? null };
  if (args.state === 'absent') {
    const removed = await removeManaged(ctx, path, snap.stat?.exists ?? false, args.backup as boolean);
    const out: ModuleResult = { changed: removed.changed, filename: path, ...base };
    if (removed.backupFile) out.backup_file = removed.backupFile;
    if (args.return_content) out.certificate = null;
    return out;
  }
  requireParentDir(snap, path);
  const backend = certificateBackend(args, snap);
  const file = { path, args, snap };
  let changed = false;
  let written: Buffer | null = null;
  let backupFile: string | undefined;
  if (backend.needsRegeneration(snap.content)) {
    if (!ctx.check) {
      written = backend.issue();
      backupFile = await writeManaged(ctx, file, written, args.backup as boolean);
    }
    changed = true;
  }
  if (written === null) changed = (await settleAttributes(ctx, file)) || changed;
  const bytes = written ?? snap.content;
  const out: ModuleResult = { ...base };
  if (args.return_content) out.certificate = bytes ? bytes.toString('utf8') : null;
  out.diff = { before: diffSide(snap.content, certDiff, 'can_parse_certificate'), after: diffSide(bytes, certDiff, 'can_parse_certificate') };
  Object.assign(out, backend.extraDump, validityFields(ctx, backend, bytes), { changed, filename: path });
  if (backupFile) out.backup_file = backupFile;
  return out;
}

async function runCertificatePipe(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const existing = typeof args.content === 'string' ? Buffer.from(args.content) : null;
  const snap = await snapshotTarget(ctx.conn, null, certificateInputs(args));
  const backend = certificateBackend(args, snap);
  let changed = false;
  let made: Buffer | null = null;
  if (backend.needsRegeneration(existing)) {
    if (!ctx.check) made = backend.issue();
    changed = true;
  }
  const bytes = made ?? existing;
  return {
    privatekey: args.privatekey_path ?? null,
    csr: args.csr_path ?? null,
    certificate: bytes ? bytes.toString('utf8') : null,
    diff: { before: diffSide(existing, certDiff, 'can_parse_certificate'), after: diffSide(bytes, certDiff, 'can_parse_certificate') },
    ...backend.extraDump,
    ...validityFields(ctx, backend, bytes),
    changed,
  };
}

export const x509CertificateModule: ModuleDef = {
  name: 'x509_certificate',
  fqcns: ['community.crypto.x509_certificate'],
  spec: certificateSpec,
  constraints: certificateConstraints,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runCertificate(args, ctx)),
};

export const x509CertificatePipeModule: ModuleDef = {
  name: 'x509_certificate_pipe',
  fqcns: ['community.crypto.x509_certificate_pipe'],
  spec: certificatePipeSpec,
  constraints: certificatePipeConstraints,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runCertificatePipe(args, ctx)),
};
