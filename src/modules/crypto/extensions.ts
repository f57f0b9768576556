// X.509 extensions: the ones openssl_csr's arguments ask for (SAN, key usage, EKU, basic
// constraints, OCSP must-staple, name constraints, key identifiers, CRL distribution points),
// encoded with @peculiar/asn1-x509, and decoded back for comparisons and *_info results.
import * as crypto from 'crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as x from '@peculiar/asn1-x509';
import { CryptoError } from './errors';
import { formatGeneralName, parseGeneralName } from './names';
import { nameToOid, OID, oidToName, UnknownOidError } from './oids';

/** An extension as it sits in a certificate or request: OID, criticality, DER of the value. */
export interface RawExtension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

/** Key usage names in bit order (RFC 5280), with the aliases community.crypto accepts. */
const KEY_USAGES: readonly (readonly [string, string, string])[] = [
  ['digital_signature', 'digitalSignature', 'Digital Signature'],
  ['content_commitment', 'nonRepudiation', 'Non Repudiation'],
  ['key_encipherment', 'keyEncipherment', 'Key Encipherment'],
  ['data_encipherment', 'dataEncipherment', 'Data Encipherment'],
  ['key_agreement', 'keyAgreement', 'Key Agreement'],
  ['key_cert_sign', 'keyCertSign', 'Certificate Sign'],
  ['crl_sign', 'cRLSign', 'CRL Sign'],
  ['encipher_only', 'encipherOnly', 'Encipher Only'],
  ['decipher_only', 'decipherOnly', 'Decipher Only'],
];

/** Bit indexes set by a key_usage list; throws on unknown names. */
export function keyUsageBits(usages: readonly string[]): Set<number> {
  const bits = new Set<number>();
  for (const u of usages) {
    const i = KEY_USAGES.findIndex(([, camel, long]) => u === camel || u === long);
    if (i < 0) throw new CryptoError(`Unknown key usage "${u}"`);
    bits.add(i);
  }
  return bits;
}

/** DER BIT STRING content of a KeyUsage: minimal length, trailing zero bits unused. */
function keyUsageDer(bits: Set<number>): Buffer {
  const top = Math.max(-1, ...bits);
  const bytes = Buffer.alloc(top < 0 ? 0 : (top >> 3) + 1);
  for (const b of bits) bytes[b >> 3] = (bytes[b >> 3] as number) | (0x80 >> (b & 7));
  const unused = top < 0 ? 0 : 7 - (top & 7);
  return Buffer.from(AsnConvert.serialize(new x.KeyUsage(bytes, unused)));
}

export function decodeKeyUsageBits(value: Buffer): Set<number> {
  const ku = AsnConvert.parse(value, x.KeyUsage);
  const bytes = Buffer.from(ku.value);
  const bits = new Set<number>();
  for (let i = 0; i < bytes.length * 8 - ku.unusedBits; i++) if (((bytes[i >> 3] as number) >> (7 - (i & 7))) & 1) bits.add(i);
  return bits;
}

/** The long names x509_certificate_info reports, sorted. Encipher/decipher only count with key agreement. */
export function keyUsageNames(bits: Set<number>): string[] {
  const names = [...bits].filter((b) => b < 7 || bits.has(4)).map((b) => KEY_USAGES[b]?.[2] ?? `bit ${b}`);
  return names.sort();
}

function ekuOid(name: string): string {
  try {
    return nameToOid(name);
  } catch (e) {
    if (e instanceof UnknownOidError) throw new CryptoError(e.message);
    throw e;
  }
}

export interface BasicConstraintsValue {
  ca: boolean;
  pathLength: number | null;
}

export function parseBasicConstraints(list: readonly string[] | null): BasicConstraintsValue {
  const out: BasicConstraintsValue = { ca: false, pathLength: null };
  for (const c of list ?? []) {
    if (c.startsWith('CA:')) {
      if (c === 'CA:TRUE') out.ca = true;
      else if (c === 'CA:FALSE') out.ca = false;
      else throw new CryptoError(`Unknown basic constraint value "${c.slice(3)}" for CA`);
    } else if (c.startsWith('pathlen:')) {
      const v = c.slice('pathlen:'.length);
      if (!/^\s*[-+]?\d+\s*$/.test(v)) throw new CryptoError(`Cannot parse path length constraint "${v}" (invalid literal for int() with base 10: '${v}')`);
      out.pathLength = Number(v);
    } else {
      throw new CryptoError(`Unknown basic constraint "${c}"`);
    }
  }
  return out;
}

/** What openssl_csr's arguments ask for, already parsed. */
export interface CsrExtensionRequest {
  subjectAltName: string[];
  subjectAltNameCritical: boolean;
  keyUsage: string[];
  keyUsageCritical: boolean;
  extendedKeyUsage: string[];
  extendedKeyUsageCritical: boolean;
  basicConstraints: string[];
  basicConstraintsCritical: boolean;
  ocspMustStaple: boolean;
  ocspMustStapleCritical: boolean;
  nameConstraintsPermitted: string[];
  nameConstraintsExcluded: string[];
  nameConstraintsCritical: boolean;
  createSubjectKeyIdentifier: boolean;
  subjectKeyIdentifier: Buffer | null;
  authorityKeyIdentifier: Buffer | null;
  authorityCertIssuer: string[] | null;
  authorityCertSerialNumber: bigint | null;
  crlDistributionPoints: Record<string, unknown>[] | null;
}

const der = (v: object): Buffer => Buffer.from(AsnConvert.serialize(v));

/** SHA-1 of the subjectPublicKey bits (RFC 5280 method 1), as cryptography's from_public_key. */
export function keyIdentifier(spki: Buffer): Buffer {
  const info = AsnConvert.parse(spki, x.SubjectPublicKeyInfo);
  return crypto.createHash('sha1').update(Buffer.from(info.subjectPublicKey)).digest();
}

const CRL_REASONS: Readonly<Record<string, number>> = {
  key_compromise: 1, ca_compromise: 2, affiliation_changed: 3, superseded: 4,
  cessation_of_operation: 5, certificate_hold: 6, privilege_withdrawn: 7, aa_compromise: 8,
};

function crlDistributionPoints(points: Record<string, unknown>[]): Buffer {
  const list = points.map((p, index) => {
    try {
      const dp = new x.DistributionPoint();
      const full = p.full_name as string[] | null | undefined;
      if (full !== null && full !== undefined) {
        if (!full.length) throw new CryptoError('full_name must not be empty');
        dp.distributionPoint = new x.DistributionPointName({ fullName: full.map((n) => parseGeneralName(n, 'full name')) });
      }
      if (p.relative_name !== null && p.relative_name !== undefined) throw new CryptoError('relative_name is not supported');
      const issuer = p.crl_issuer as string[] | null | undefined;
      if (issuer !== null && issuer !== undefined) {
        if (!issuer.length) throw new CryptoError('crl_issuer must not be empty');
        dp.cRLIssuer = issuer.map((n) => parseGeneralName(n, 'CRL issuer'));
      }
      const reasons = p.reasons as string[] | null | undefined;
      if (reasons !== null && reasons !== undefined) {
        const bits = new Set(reasons.map((r) => CRL_REASONS[r] ?? 0));
        const top = Math.max(...bits);
        const bytes = Buffer.alloc((top >> 3) + 1);
        for (const b of bits) bytes[b >> 3] = (bytes[b >> 3] as number) | (0x80 >> (b & 7));
        dp.reasons = new x.Reason(bytes, 7 - (top & 7));
      }
      return dp;
    } catch (e) {
      throw new CryptoError(`Error while parsing CRL distribution point #${index}: ${(e as Error).message}`);
    }
  });
  return der(new x.CRLDistributionPoints(list));
}

/** The extensions a CSR carries, in the order cryptography adds them. */
export function buildCsrExtensions(req: CsrExtensionRequest, spki: Buffer): RawExtension[] {
  const out: RawExtension[] = [];
  if (req.subjectAltName.length) {
    const names = req.subjectAltName.map((n) => parseGeneralName(n));
    out.push({ oid: OID.subjectAltName, critical: req.subjectAltNameCritical, value: der(new x.SubjectAlternativeName(names)) });
  }
  if (req.keyUsage.length) out.push({ oid: OID.keyUsage, critical: req.keyUsageCritical, value: keyUsageDer(keyUsageBits(req.keyUsage)) });
  if (req.extendedKeyUsage.length) {
    out.push({ oid: OID.extendedKeyUsage, critical: req.extendedKeyUsageCritical, value: der(new x.ExtendedKeyUsage(req.extendedKeyUsage.map(ekuOid))) });
  }
  if (req.basicConstraints.length) {
    const bc = parseBasicConstraints(req.basicConstraints);
    const value = new x.BasicConstraints({ cA: bc.ca });
    if (bc.pathLength !== null) value.pathLenConstraint = bc.pathLength;
    out.push({ oid: OID.basicConstraints, critical: req.basicConstraintsCritical, value: der(value) });
  }
  if (req.ocspMustStaple) out.push({ oid: OID.tlsFeature, critical: req.ocspMustStapleCritical, value: Buffer.from('3003020105', 'hex') });
  if (req.nameConstraintsPermitted.length || req.nameConstraintsExcluded.length) {
    const subtrees = (list: string[], what: string) =>
      list.length ? new x.GeneralSubtrees(list.map((n) => new x.GeneralSubtree({ base: parseGeneralName(n, what) }))) : undefined;
    const nc = new x.NameConstraints();
    const permitted = subtrees(req.nameConstraintsPermitted, 'name constraints permitted');
    const excluded = subtrees(req.nameConstraintsExcluded, 'name constraints excluded');
    if (permitted) nc.permittedSubtrees = permitted;
    if (excluded) nc.excludedSubtrees = excluded;
    out.push({ oid: OID.nameConstraints, critical: req.nameConstraintsCritical, value: der(nc) });
  }
  if (req.createSubjectKeyIdentifier) out.push(subjectKeyIdentifierExtension(keyIdentifier(spki)));
  else if (req.subjectKeyIdentifier) out.push(subjectKeyIdentifierExtension(req.subjectKeyIdentifier));
  if (req.authorityKeyIdentifier || req.authorityCertIssuer || req.authorityCertSerialNumber !== null) {
    out.push(authorityKeyIdentifierExtension(req.authorityKeyIdentifier, req.authorityCertIssuer, req.authorityCertSerialNumber));
  }
  if (req.crlDistributionPoints && req.crlDistributionPoints.length) {
    out.push({ oid: OID.crlDistributionPoints, critical: false, value: crlDistributionPoints(req.crlDistributionPoints) });
  }
  return out;
}

export function subjectKeyIdentifierExtension(id: Buffer): RawExtension {
  return { oid: OID.subjectKeyIdentifier, critical: false, value: der(new OctetString(id)) };
}

export function authorityKeyIdentifierExtension(id: Buffer | null, issuer: string[] | null = null, serial: bigint | null = null): RawExtension {
  const aki = new x.AuthorityKeyIdentifier();
  if (id) aki.keyIdentifier = new x.KeyIdentifier(id);
  if (issuer) aki.authorityCertIssuer = issuer.map((n) => parseGeneralName(n, 'authority cert issuer'));
  if (serial !== null) aki.authorityCertSerialNumber = integerBytes(serial);
  return { oid: OID.authorityKeyIdentifier, critical: false, value: der(aki) };
}

/** Two's complement big-endian bytes of a non-negative integer (DER INTEGER content). */
export function integerBytes(n: bigint): ArrayBuffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
  return new Uint8Array(Buffer.from(hex, 'hex')).buffer;
}

export function bytesToBigInt(b: ArrayBuffer | Buffer): bigint {
  const hex = Buffer.from(b as ArrayBuffer).toString('hex');
  return hex ? BigInt('0x' + hex) : 0n;
}

export function findExtension(exts: readonly RawExtension[], oid: string): RawExtension | undefined {
  return exts.find((e) => e.oid === oid);
}

export function decodeSan(value: Buffer): string[] {
  return [...AsnConvert.parse(value, x.SubjectAlternativeName)].map(formatGeneralName);
}

export function decodeEku(value: Buffer): string[] {
  return [...AsnConvert.parse(value, x.ExtendedKeyUsage)];
}

export function decodeBasicConstraints(value: Buffer): BasicConstraintsValue {
  const bc = AsnConvert.parse(value, x.BasicConstraints);
  return { ca: bc.cA, pathLength: bc.pathLenConstraint ?? null };
}

export function decodeSubjectKeyIdentifier(value: Buffer): Buffer {
  return Buffer.from(AsnConvert.parse(value, OctetString).buffer);
}

export interface AuthorityKeyIdentifierValue {
  keyIdentifier: Buffer | null;
  issuer: string[] | null;
  serial: bigint | null;
}

export function decodeAuthorityKeyIdentifier(value: Buffer): AuthorityKeyIdentifierValue {
  const aki = AsnConvert.parse(value, x.AuthorityKeyIdentifier);
  return {
    keyIdentifier: aki.keyIdentifier ? Buffer.from(aki.keyIdentifier.buffer) : null,
    issuer: aki.authorityCertIssuer ? aki.authorityCertIssuer.map(formatGeneralName) : null,
    serial: aki.authorityCertSerialNumber ? bytesToBigInt(aki.authorityCertSerialNumber) : null,
  };
}

export function decodeNameConstraints(value: Buffer): { permitted: string[]; excluded: string[] } {
  const nc = AsnConvert.parse(value, x.NameConstraints);
  return {
    permitted: [...(nc.permittedSubtrees ?? [])].map((s) => formatGeneralName(s.base)),
    excluded: [...(nc.excludedSubtrees ?? [])].map((s) => formatGeneralName(s.base)),
  };
}

/** Does a TLS Feature extension (SEQUENCE OF INTEGER) list status_request (5), OCSP must-staple? */
export function decodeMustStaple(value: Buffer): boolean {
  if (value[0] !== 0x30 || value.length < 2 || ((value[1] as number) & 0x80)) return false;
  for (let i = 2; i + 1 < value.length; ) {
    const len = value[i + 1] as number;
    if (value[i] === 0x02 && len === 1 && value[i + 2] === 5) return true;
    i += 2 + len;
  }
  return false;
}

/** The access location URIs of an Authority Information Access extension by method OID. */
export function decodeAuthorityInfoAccess(value: Buffer): { method: string; uri: string | null }[] {
  return [...AsnConvert.parse(value, x.AuthorityInfoAccessSyntax)].map((d) => ({
    method: d.accessMethod,
    uri: d.accessLocation.uniformResourceIdentifier ?? null,
  }));
}

/** Extension values normalised by a decode/encode round trip, so equal values compare equal however encoded. */
export function canonicalValue(ext: RawExtension): Buffer {
  try {
    switch (ext.oid) {
      case OID.subjectAltName:
        return der(AsnConvert.parse(ext.value, x.SubjectAlternativeName));
      case OID.keyUsage:
        return keyUsageDer(decodeKeyUsageBits(ext.value));
      case OID.extendedKeyUsage:
        return der(AsnConvert.parse(ext.value, x.ExtendedKeyUsage));
      case OID.basicConstraints:
        return der(AsnConvert.parse(ext.value, x.BasicConstraints));
      case OID.subjectKeyIdentifier:
        return der(AsnConvert.parse(ext.value, OctetString));
      case OID.authorityKeyIdentifier:
        return der(AsnConvert.parse(ext.value, x.AuthorityKeyIdentifier));
      case OID.nameConstraints:
        return der(AsnConvert.parse(ext.value, x.NameConstraints));
      default:
        return ext.value;
    }
  } catch {
    return ext.value;
  }
}

export function sameExtension(a: RawExtension, b: RawExtension): boolean {
  return a.oid === b.oid && a.critical === b.critical && canonicalValue(a).equals(canonicalValue(b));
}

/** x509_certificate_info's extensions_by_oid: {oid: {critical, value (base64 DER)}}. */
export function extensionsByOid(exts: readonly RawExtension[]): Record<string, { critical: boolean; value: string }> {
  const out: Record<string, { critical: boolean; value: string }> = {};
  for (const e of exts) out[e.oid] = { critical: e.critical, value: e.value.toString('base64') };
  return out;
}

export { oidToName };
