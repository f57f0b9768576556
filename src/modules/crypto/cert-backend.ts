// The selfsigned and ownca providers of x509_certificate(_pipe): their inputs (key, CSR, CA),
// the check that keeps an existing certificate (key, CSR subject and extensions, issuer,
// signature, key identifiers, optionally validity) and issuing a new one.
import type * as crypto from 'crypto';
import { CryptoError } from './errors';
import {
  authorityKeyIdentifierExtension, decodeAuthorityKeyIdentifier, decodeSubjectKeyIdentifier, findExtension, keyIdentifier,
  sameExtension, subjectKeyIdentifierExtension,
} from './extensions';
import type { RawExtension } from './extensions';
import { BadPassphraseError, loadPrivateKey, samePublicKey, spkiDer } from './keys';
import { sameName } from './names';
import { OID } from './oids';
import { inputBytes, inputExists } from './target';
import type { TargetSnapshot } from './target';
import { parseTimeSpec, sameSecond } from './timespec';
import { buildCertificate, buildCsr, keyNeedsDigest, parseCertificate, parseCsr, randomSerial } from './x509';
import type { ParsedCertificate, ParsedCsr } from './x509';
import { Name } from '@peculiar/asn1-x509';

type SkiMode = 'create_if_not_provided' | 'always_create' | 'never_create';

export interface CertificateBackend {
  provider: 'selfsigned' | 'ownca';
  notBefore: Date;
  notAfter: Date;
  serial: bigint;
  /** Extra result fields (ca_cert, ca_privatekey for ownca). */
  extraDump: Record<string, unknown>;
  needsRegeneration(existing: Buffer | null): boolean;
  issue(): Buffer;
}

const DIGESTS = ['sha256', 'sha384', 'sha512', 'sha1', 'md5'];

/** Paths on the target the backend will read (so they come in the module's one probe). */
export function certificateInputs(args: Record<string, unknown>): string[] {
  const pairs: [string, string][] = [['privatekey_path', 'privatekey_content'], ['csr_path', 'csr_content']];
  if (args.provider === 'ownca') pairs.push(['ownca_path', 'ownca_content'], ['ownca_privatekey_path', 'ownca_privatekey_content']);
  return pairs.filter(([p, c]) => typeof args[p] === 'string' && (args[c] === null || args[c] === undefined)).map(([p]) => args[p] as string);
}

function bytesOf(args: Record<string, unknown>, snap: TargetSnapshot, pathKey: string, contentKey: string): Buffer | null {
  const content = args[contentKey];
  if (typeof content === 'string') return Buffer.from(content);
  const p = args[pathKey];
  return typeof p === 'string' ? inputBytes(snap, p) : null;
}

function loadKeyOrFail(bytes: Buffer, passphrase: unknown): crypto.KeyObject {
  try {
    return loadPrivateKey(bytes, typeof passphrase === 'string' ? passphrase : null);
  } catch (e) {
    if (e instanceof BadPassphraseError) throw new CryptoError(e.message);
    throw e;
  }
}

function requireInput(args: Record<string, unknown>, snap: TargetSnapshot, pathKey: string, contentKey: string, message: string): void {
  const p = args[pathKey];
  if ((args[contentKey] === null || args[contentKey] === undefined) && typeof p === 'string' && !inputExists(snap, p)) {
    throw new CryptoError(message.replace('{0}', p));
  }
}

interface Common {
  args: Record<string, unknown>;
  force: boolean;
  ignoreTimestamps: boolean;
  csr: ParsedCsr;
  subjectKey: () => crypto.KeyObject | null;
  skiMode: SkiMode;
  createAki: boolean;
  notBefore: Date;
  notAfter: Date;
}

/** The provider-independent part of needs_regeneration; `cert` is the parsed existing certificate. */
function commonNeedsRegeneration(c: Common, cert: ParsedCertificate): boolean {
  const key = c.subjectKey();
  if (key && !samePublicKey(cert.publicKey, key)) return true;
  if (!csrMatches(c, cert)) return true;
  if (c.skiMode !== 'never_create' && !skiMatches(c, cert)) return true;
  if (!c.ignoreTimestamps && (!sameSecond(cert.notBefore, c.notBefore) || !sameSecond(cert.notAfter, c.notAfter))) return true;
  return false;
}

function csrMatches(c: Common, cert: ParsedCertificate): boolean {
  if (!c.csr.signatureValid || !samePublicKey(c.csr.publicKey, cert.publicKey)) return false;
  if (!sameName(c.csr.subject, cert.subject)) return false;
  const keep = (e: RawExtension): boolean =>
    !(c.skiMode !== 'never_create' && e.oid === OID.subjectKeyIdentifier) && !(c.createAki && e.oid === OID.authorityKeyIdentifier);
  const certExts = cert.extensions.filter(keep);
  const csrExts = c.csr.extensions.filter(keep);
  if (certExts.length !== csrExts.length) return false;
  return certExts.every((ce) => {
    const re = findExtension(c.csr.extensions, ce.oid);
    return !!re && sameExtension(ce, re);
  });
}

function skiMatches(c: Common, cert: ParsedCertificate): boolean {
  const ext = findExtension(cert.extensions, OID.subjectKeyIdentifier);
  if (!ext) return false;
  const csrExt = c.skiMode === 'create_if_not_provided' ? findExtension(c.csr.extensions, OID.subjectKeyIdentifier) : undefined;
  const want = csrExt ? decodeSubjectKeyIdentifier(csrExt.value) : keyIdentifier(cert.spki);
  return decodeSubjectKeyIdentifier(ext.value).equals(want);
}

/** The certificate's extensions: the CSR's, then a created SKI, then a created AKI. */
function issuedExtensions(c: Common, spki: Buffer, aki: RawExtension | null): RawExtension[] {
  const out: RawExtension[] = [];
  let hasSki = false;
  for (const e of c.csr.extensions) {
    if (e.oid === OID.subjectKeyIdentifier) {
      if (c.skiMode === 'always_create') continue;
      hasSki = true;
    }
    if (c.createAki && e.oid === OID.authorityKeyIdentifier) continue;
    out.push(e);
  }
  if (!hasSki && c.skiMode !== 'never_create') out.push(subjectKeyIdentifierExtension(keyIdentifier(spki)));
  if (aki) out.push(aki);
  return out;
}

function parseExisting(existing: Buffer | null): ParsedCertificate | null {
  if (existing === null) return null;
  try {
    return parseCertificate(existing);
  } catch {
    return null;
  }
}

function digestFor(key: crypto.KeyObject, digest: string): string {
  if (keyNeedsDigest(key) && !DIGESTS.includes(digest)) throw new CryptoError(`The digest ${digest} is not supported with the cryptography backend`);
  return digest;
}

export function selfSignedBackend(args: Record<string, unknown>, snap: TargetSnapshot): CertificateBackend {
  if (args.privatekey_path == null && args.privatekey_content == null) {
    throw new CryptoError('One of privatekey_path and privatekey_content must be specified for the selfsigned provider.');
  }
  if (args.selfsigned_version === 2) throw new CryptoError('The cryptography backend does not support v2 certificates');
  const notBefore = parseTimeSpec(args.selfsigned_not_before as string, 'selfsigned_not_before');
  const notAfter = parseTimeSpec(args.selfsigned_not_after as string, 'selfsigned_not_after');
  requireInput(args, snap, 'csr_path', 'csr_content', 'The certificate signing request file {0} does not exist');
  requireInput(args, snap, 'privatekey_path', 'privatekey_content', 'The private key file {0} does not exist');
  const key = loadKeyOrFail(bytesOf(args, snap, 'privatekey_path', 'privatekey_content') as Buffer, args.privatekey_passphrase);
  const digest = digestFor(key, args.selfsigned_digest as string);
  const csrBytes = bytesOf(args, snap, 'csr_path', 'csr_content');
  const csr = parseCsr(csrBytes ?? buildCsr(new Name(), [], key, keyNeedsDigest(key) ? digest : 'sha256'));
  const c: Common = {
    args, force: !!args.force, ignoreTimestamps: !!args.ignore_timestamps, csr, subjectKey: () => key,
    skiMode: args.selfsigned_create_subject_key_identifier as SkiMode, createAki: false, notBefore, notAfter,
  };
  const serial = randomSerial();
  return {
    provider: 'selfsigned', notBefore, notAfter, serial, extraDump: {},
    needsRegeneration(existing) {
      if (c.force) return true;
      const cert = parseExisting(existing);
      return !cert || commonNeedsRegeneration(c, cert) || !cert.signedBy(key);
    },
    issue: () =>
      buildCertificate({
        subject: csr.subject, issuer: csr.subject, serial, notBefore, notAfter, spki: spkiDer(key),
        extensions: issuedExtensions(c, spkiDer(key), null), signingKey: key, digest,
      }),
  };
}

/** The AKI an ownca certificate carries: the CA's SKI, else one computed from the CA's key. */
function expectedAki(caCert: ParsedCertificate): RawExtension {
  const ski = findExtension(caCert.extensions, OID.subjectKeyIdentifier);
  return authorityKeyIdentifierExtension(ski ? decodeSubjectKeyIdentifier(ski.value) : keyIdentifier(caCert.spki));
}

export function ownCaBackend(args: Record<string, unknown>, snap: TargetSnapshot): CertificateBackend {
  if (args.ownca_path == null && args.ownca_content == null) throw new CryptoError('One of ownca_path and ownca_content must be specified for the ownca provider.');
  if (args.ownca_privatekey_path == null && args.ownca_privatekey_content == null) {
    throw new CryptoError('One of ownca_privatekey_path and ownca_privatekey_content must be specified for the ownca provider.');
  }
  if (args.ownca_version === 2) throw new CryptoError('The cryptography backend does not support v2 certificates');
  const notBefore = parseTimeSpec(args.ownca_not_before as string, 'ownca_not_before');
  const notAfter = parseTimeSpec(args.ownca_not_after as string, 'ownca_not_after');
  if (args.csr_path == null && args.csr_content == null) throw new CryptoError('csr_path or csr_content is required for ownca provider');
  requireInput(args, snap, 'csr_path', 'csr_content', 'The certificate signing request file {0} does not exist');
  requireInput(args, snap, 'ownca_path', 'ownca_content', 'The CA certificate file {0} does not exist');
  requireInput(args, snap, 'ownca_privatekey_path', 'ownca_privatekey_content', 'The CA private key file {0} does not exist');
  const csr = parseCsr(bytesOf(args, snap, 'csr_path', 'csr_content') as Buffer);
  const caCert = parseCertificate(bytesOf(args, snap, 'ownca_path', 'ownca_content') as Buffer);
  const caKey = loadKeyOrFail(bytesOf(args, snap, 'ownca_privatekey_path', 'ownca_privatekey_content') as Buffer, args.ownca_privatekey_passphrase);
  if (!samePublicKey(caCert.publicKey, caKey)) throw new CryptoError('The CA private key does not belong to the CA certificate');
  const digest = digestFor(caKey, args.ownca_digest as string);
  let subjectKey: crypto.KeyObject | null | undefined;
  const c: Common = {
    args, force: !!args.force, ignoreTimestamps: !!args.ignore_timestamps, csr,
    subjectKey: () => {
      if (subjectKey === undefined) {
        const bytes = bytesOf(args, snap, 'privatekey_path', 'privatekey_content');
        subjectKey = bytes ? loadKeyOrFail(bytes, args.privatekey_passphrase) : null;
      }
      return subjectKey;
    },
    skiMode: args.ownca_create_subject_key_identifier as SkiMode, createAki: !!args.ownca_create_authority_key_identifier, notBefore, notAfter,
  };
  const serial = randomSerial();
  return {
    provider: 'ownca', notBefore, notAfter, serial,
    extraDump: { ca_cert: args.ownca_path ?? null, ca_privatekey: args.ownca_privatekey_path ?? null },
    needsRegeneration(existing) {
      if (c.force) return true;
      const cert = parseExisting(existing);
      if (!cert || commonNeedsRegeneration(c, cert) || !cert.signedBy(caCert.publicKey)) return true;
      if (!sameName(caCert.subject, cert.issuer)) return true;
      if (c.createAki) {
        const have = findExtension(cert.extensions, OID.authorityKeyIdentifier);
        if (!have) return true;
        const want = decodeAuthorityKeyIdentifier(expectedAki(caCert).value);
        const got = decodeAuthorityKeyIdentifier(have.value);
        const sameId = !!want.keyIdentifier && !!got.keyIdentifier && want.keyIdentifier.equals(got.keyIdentifier);
        if (!sameId || got.issuer !== null || got.serial !== null) return true;
      }
      return false;
    },
    issue: () =>
      buildCertificate({
        subject: csr.subject, issuer: caCert.subject, serial, notBefore, notAfter, spki: csr.spki,
        extensions: issuedExtensions(c, csr.spki, c.createAki ? expectedAki(caCert) : null), signingKey: caKey, digest,
      }),
  };
}

export function certificateBackend(args: Record<string, unknown>, snap: TargetSnapshot): CertificateBackend {
  if (args.provider === 'selfsigned') return selfSignedBackend(args, snap);
  if (args.provider === 'ownca') return ownCaBackend(args, snap);
  throw new CryptoError(`The ${String(args.provider)} provider is not supported by tsible (only selfsigned and ownca)`);
}
