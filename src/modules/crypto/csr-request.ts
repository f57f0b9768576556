// The CSR a task asks for (openssl_csr and openssl_csr_pipe): its subject and extensions from
// the arguments, the check community.crypto makes before keeping an existing CSR, and signing.
import type * as crypto from 'crypto';
import { CryptoError } from './errors';
import {
  buildCsrExtensions, decodeAuthorityKeyIdentifier, decodeBasicConstraints, decodeEku, decodeKeyUsageBits, decodeMustStaple,
  decodeNameConstraints, decodeSan, decodeSubjectKeyIdentifier, findExtension, keyIdentifier, keyUsageBits, parseBasicConstraints,
  sameExtension,
} from './extensions';
import type { CsrExtensionRequest, RawExtension } from './extensions';
import { BadPassphraseError, loadPrivateKey, samePublicKey, spkiDer } from './keys';
import { buildName, formatGeneralName, oidOf, parseGeneralName, readName, subjectFromArgs } from './names';
import type { NameEntry } from './names';
import { OID } from './oids';
import { buildCsr, keyNeedsDigest, parseCsr } from './x509';
import type { ParsedCsr } from './x509';

export interface CsrWanted {
  subject: NameEntry[];
  orderedSubject: boolean;
  usingCommonNameForSan: boolean;
  digest: string;
  ext: CsrExtensionRequest;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function hexBytes(v: unknown, what: string): Buffer | null {
  if (v === null || v === undefined) return null;
  const hex = String(v).replace(/:/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new CryptoError(`Cannot parse ${what}: Non-hexadecimal digit found`);
  return Buffer.from(hex, 'hex');
}

export function csrWantedFrom(args: Record<string, unknown>): CsrWanted {
  if (args.create_subject_key_identifier && args.subject_key_identifier !== null && args.subject_key_identifier !== undefined) {
    throw new CryptoError('subject_key_identifier cannot be specified if create_subject_key_identifier is true');
  }
  const { entries, ordered } = subjectFromArgs(args);
  let san = list(args.subject_alt_name);
  let usingCommonNameForSan = false;
  if (!san.length && args.use_common_name_for_san) {
    const cn = entries.find(([k]) => k === 'CN' || k === 'commonName');
    if (cn) {
      san = [`DNS:${cn[1]}`];
      usingCommonNameForSan = true;
    }
  }
  const serial = args.authority_cert_serial_number;
  return {
    subject: entries,
    orderedSubject: ordered,
    usingCommonNameForSan,
    digest: args.digest as string,
    ext: {
      subjectAltName: san,
      subjectAltNameCritical: !!args.subject_alt_name_critical,
      keyUsage: list(args.key_usage),
      keyUsageCritical: !!args.key_usage_critical,
      extendedKeyUsage: list(args.extended_key_usage),
      extendedKeyUsageCritical: !!args.extended_key_usage_critical,
      basicConstraints: list(args.basic_constraints),
      basicConstraintsCritical: !!args.basic_constraints_critical,
      ocspMustStaple: !!args.ocsp_must_staple,
      ocspMustStapleCritical: !!args.ocsp_must_staple_critical,
      nameConstraintsPermitted: list(args.name_constraints_permitted),
      nameConstraintsExcluded: list(args.name_constraints_excluded),
      nameConstraintsCritical: !!args.name_constraints_critical,
      createSubjectKeyIdentifier: !!args.create_subject_key_identifier,
      subjectKeyIdentifier: hexBytes(args.subject_key_identifier, 'subject_key_identifier'),
      authorityKeyIdentifier: hexBytes(args.authority_key_identifier, 'authority_key_identifier'),
      authorityCertIssuer: Array.isArray(args.authority_cert_issuer) ? list(args.authority_cert_issuer) : null,
      authorityCertSerialNumber: serial === null || serial === undefined ? null : BigInt(serial as number),
      crlDistributionPoints: Array.isArray(args.crl_distribution_points) ? (args.crl_distribution_points as Record<string, unknown>[]) : null,
    },
  };
}

/** Loads the CSR's private key from content or bytes read on the target. */
export function loadSigningKey(bytes: Buffer, passphrase: string | null): crypto.KeyObject {
  try {
    return loadPrivateKey(bytes, passphrase);
  } catch (e) {
    if (e instanceof BadPassphraseError) throw new CryptoError(e.message);
    throw e;
  }
}

export function generateCsr(w: CsrWanted, key: crypto.KeyObject): Buffer {
  const subject = buildName(w.subject);
  const extensions = buildCsrExtensions(w.ext, spkiDer(key));
  if (keyNeedsDigest(key) && !['sha256', 'sha384', 'sha512', 'sha1', 'md5'].includes(w.digest)) {
    throw new CryptoError(`Unsupported digest "${w.digest}"`);
  }
  return buildCsr(subject, extensions, key, w.digest);
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
};

function checkSubject(csr: ParsedCsr, w: CsrWanted): boolean {
  const want = w.subject.map(([k, v]) => `${oidOf(k)}=${v}`);
  const have = readName(csr.subject).map(([o, v]) => `${o}=${v}`);
  return w.orderedSubject ? want.join('\n') === have.join('\n') : sameSet(want, have);
}

/** Same names, and criticality when any are wanted; nothing present when none are wanted. */
function checkNames(ext: RawExtension | undefined, want: string[], decode: (v: Buffer) => string[], critical: boolean): boolean {
  const have = ext ? decode(ext.value) : [];
  if (!sameSet(want, have)) return false;
  return !want.length || ext?.critical === critical;
}

function checkExtensions(csr: ParsedCsr, w: CsrWanted, key: crypto.KeyObject): boolean {
  const exts = csr.extensions;
  const e = w.ext;
  const wantSan = e.subjectAltName.map((n) => formatGeneralName(parseGeneralName(n)));
  if (!checkNames(findExtension(exts, OID.subjectAltName), wantSan, decodeSan, e.subjectAltNameCritical)) return false;
  const ku = findExtension(exts, OID.keyUsage);
  if (!e.keyUsage.length ? ku !== undefined : !ku || ku.critical !== e.keyUsageCritical || !sameSet([...keyUsageBits(e.keyUsage)].map(String), [...decodeKeyUsageBits(ku.value)].map(String))) return false;
  const wantEku = e.extendedKeyUsage.map(oidOf);
  if (!checkNames(findExtension(exts, OID.extendedKeyUsage), wantEku, decodeEku, e.extendedKeyUsageCritical)) return false;
  const bc = findExtension(exts, OID.basicConstraints);
  const have = bc ? decodeBasicConstraints(bc.value) : { ca: false, pathLength: null };
  const want = parseBasicConstraints(e.basicConstraints);
  if (have.ca !== want.ca || have.pathLength !== want.pathLength) return false;
  if (e.basicConstraints.length ? !bc || bc.critical !== e.basicConstraintsCritical : bc !== undefined) return false;
  const tls = findExtension(exts, OID.tlsFeature);
  if (e.ocspMustStaple ? !tls || tls.critical !== e.ocspMustStapleCritical || !decodeMustStaple(tls.value) : tls !== undefined) return false;
  return checkKeyIdentifiers(exts, e, key) && checkNameConstraints(exts, e) && checkCrlDistributionPoints(exts, w, key);
}

function checkNameConstraints(exts: readonly RawExtension[], e: CsrExtensionRequest): boolean {
  const nc = findExtension(exts, OID.nameConstraints);
  const have = nc ? decodeNameConstraints(nc.value) : { permitted: [], excluded: [] };
  const norm = (l: string[], what: string) => l.map((n) => formatGeneralName(parseGeneralName(n, what)));
  if (!sameSet(norm(e.nameConstraintsPermitted, 'name constraints permitted'), have.permitted)) return false;
  if (!sameSet(norm(e.nameConstraintsExcluded, 'name constraints excluded'), have.excluded)) return false;
  return !(e.nameConstraintsPermitted.length || e.nameConstraintsExcluded.length) || nc?.critical === e.nameConstraintsCritical;
}

function checkKeyIdentifiers(exts: readonly RawExtension[], e: CsrExtensionRequest, key: crypto.KeyObject): boolean {
  const ski = findExtension(exts, OID.subjectKeyIdentifier);
  if (e.createSubjectKeyIdentifier || e.subjectKeyIdentifier) {
    if (!ski || ski.critical) return false;
    const want = e.createSubjectKeyIdentifier ? keyIdentifier(spkiDer(key)) : (e.subjectKeyIdentifier as Buffer);
    if (!decodeSubjectKeyIdentifier(ski.value).equals(want)) return false;
  } else if (ski) return false;
  const aki = findExtension(exts, OID.authorityKeyIdentifier);
  if (e.authorityKeyIdentifier || e.authorityCertIssuer || e.authorityCertSerialNumber !== null) {
    if (!aki || aki.critical) return false;
    const v = decodeAuthorityKeyIdentifier(aki.value);
    const wantIssuer = e.authorityCertIssuer ? e.authorityCertIssuer.map((n) => formatGeneralName(parseGeneralName(n, 'authority cert issuer'))) : null;
    const sameId = (v.keyIdentifier === null && e.authorityKeyIdentifier === null) || (!!v.keyIdentifier && !!e.authorityKeyIdentifier && v.keyIdentifier.equals(e.authorityKeyIdentifier));
    return sameId && JSON.stringify(v.issuer) === JSON.stringify(wantIssuer) && v.serial === e.authorityCertSerialNumber;
  }
  return aki === undefined;
}

function checkCrlDistributionPoints(exts: readonly RawExtension[], w: CsrWanted, key: crypto.KeyObject): boolean {
  const have = findExtension(exts, OID.crlDistributionPoints);
  if (!w.ext.crlDistributionPoints) return have === undefined;
  if (!have) return false;
  const want = buildCsrExtensions({ ...emptyRequest(), crlDistributionPoints: w.ext.crlDistributionPoints }, spkiDer(key))[0];
  return !!want && sameExtension({ ...want, critical: have.critical }, have);
}

function emptyRequest(): CsrExtensionRequest {
  return {
    subjectAltName: [], subjectAltNameCritical: false, keyUsage: [], keyUsageCritical: false, extendedKeyUsage: [],
    extendedKeyUsageCritical: false, basicConstraints: [], basicConstraintsCritical: false, ocspMustStaple: false,
    ocspMustStapleCritical: false, nameConstraintsPermitted: [], nameConstraintsExcluded: [], nameConstraintsCritical: false,
    createSubjectKeyIdentifier: false, subjectKeyIdentifier: null, authorityKeyIdentifier: null, authorityCertIssuer: null,
    authorityCertSerialNumber: null, crlDistributionPoints: null,
  };
}

/** community.crypto's needs_regeneration for a CSR: unreadable, or any subject/extension/key difference. */
export function csrNeedsRegeneration(existing: Buffer | null, w: CsrWanted, key: () => crypto.KeyObject): boolean {
  if (existing === null) return true;
  let csr: ParsedCsr;
  try {
    csr = parseCsr(existing);
  } catch {
    return true;
  }
  const k = key();
  return !(checkSubject(csr, w) && checkExtensions(csr, w, k) && csr.signatureValid && samePublicKey(csr.publicKey, k));
}

/** The module's result fields that echo the request (dump()). */
export function csrDumpFields(w: CsrWanted, privatekeyPath: string | null, args: Record<string, unknown>): Record<string, unknown> {
  return {
    privatekey: privatekeyPath,
    subject: w.subject.map(([k, v]) => [k, v]),
    subjectAltName: w.ext.subjectAltName.length ? w.ext.subjectAltName : (args.subject_alt_name ?? null),
    keyUsage: args.key_usage ?? null,
    extendedKeyUsage: args.extended_key_usage ?? null,
    basicConstraints: args.basic_constraints ?? null,
    ocspMustStaple: !!args.ocsp_must_staple,
    name_constraints_permitted: w.ext.nameConstraintsPermitted,
    name_constraints_excluded: w.ext.nameConstraintsExcluded,
  };
}

/** The error community.crypto reports when signing fails on a bad SAN. */
export function csrGenerationError(e: Error, w: CsrWanted): CryptoError {
  const hint = w.usingCommonNameForSan
    ? 'This is probably caused because the Common Name is used as a SAN. Specifying use_common_name_for_san=false might fix this.'
    : 'This is probably caused by an invalid Subject Alternative DNS Name.';
  return new CryptoError(`Error while creating CSR: ${e.message}\n${hint}`);
}
