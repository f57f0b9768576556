// The information community.crypto reports about keys, CSRs and certificates (the *_info
// modules' results and the before/after of every module's diff), from parsed objects.
import type * as crypto from 'crypto';
import {
  decodeAuthorityInfoAccess, decodeAuthorityKeyIdentifier, decodeBasicConstraints, decodeEku, decodeKeyUsageBits,
  decodeMustStaple, decodeNameConstraints, decodeSan, decodeSubjectKeyIdentifier, extensionsByOid, findExtension, keyUsageNames,
} from './extensions';
import type { RawExtension } from './extensions';
import { colonHex, describeKey, fingerprints, loadPrivateKey, publicData, publicKeyPem, pyInt, spkiDer } from './keys';
import { namedAttributes } from './names';
import { OID, oidToName } from './oids';
import { asn1Time } from './timespec';
import { parseCertificate, parseCsr } from './x509';

/** Key facts shared by private key, CSR and certificate info: type, public data, fingerprints. */
export function publicKeyInfo(key: crypto.KeyObject, preferOne: boolean): { type: string; public_data: Record<string, unknown>; fingerprints: Record<string, string> } {
  return { type: describeKey(key).type, public_data: publicData(key), fingerprints: fingerprints(spkiDer(key), preferOne) };
}

/** openssl_privatekey_info's fields; `can_parse_key` false (and a message) when the key does not load. */
export function privateKeyInfo(
  content: Buffer,
  passphrase: string | null,
  opts: { preferOne?: boolean; privateData?: boolean; checkConsistency?: boolean } = {},
): { result: Record<string, unknown>; error?: string } {
  const result: Record<string, unknown> = { can_parse_key: false, key_is_consistent: null };
  let key: crypto.KeyObject;
  try {
    key = loadPrivateKey(content, passphrase);
  } catch (e) {
    return { result, error: (e as Error).message };
  }
  result.can_parse_key = true;
  result.public_key = publicKeyPem(key);
  result.public_key_fingerprints = fingerprints(spkiDer(key), opts.preferOne ?? false);
  const pk = publicKeyInfo(key, true);
  result.type = pk.type;
  result.public_data = pk.public_data;
  if (opts.privateData) result.private_data = privateData(key);
  // Node's OpenSSL has already checked the key's structure while loading it
  if (opts.checkConsistency) result.key_is_consistent = pk.type === 'X25519' || pk.type === 'X448' ? null : true;
  return { result };
}

function privateData(key: crypto.KeyObject): Record<string, unknown> {
  const b = (s: string | undefined): string | number => pyInt(BigInt('0x' + (Buffer.from(s ?? '', 'base64url').toString('hex') || '0')));
  try {
    const jwk = key.export({ format: 'jwk' });
    if (jwk.kty === 'RSA') return { p: b(jwk.p), q: b(jwk.q), exponent: b(jwk.d) };
    if (jwk.kty === 'EC') return { multiplier: b(jwk.d) };
  } catch {
    /* no JWK form for this key type */
  }
  return {};
}

function nameDict(list: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of list) out[k] = v;
  return out;
}

/** The extension-derived fields that CSR and certificate info share. */
function extensionFields(exts: readonly RawExtension[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ku = findExtension(exts, OID.keyUsage);
  out.key_usage = ku ? keyUsageNames(decodeKeyUsageBits(ku.value)) : null;
  out.key_usage_critical = ku?.critical ?? false;
  const eku = findExtension(exts, OID.extendedKeyUsage);
  out.extended_key_usage = eku ? decodeEku(eku.value).map((o) => oidToName(o)).sort() : null;
  out.extended_key_usage_critical = eku?.critical ?? false;
  const bc = findExtension(exts, OID.basicConstraints);
  if (bc) {
    const v = decodeBasicConstraints(bc.value);
    out.basic_constraints = [`CA:${v.ca ? 'TRUE' : 'FALSE'}`, ...(v.pathLength !== null ? [`pathlen:${v.pathLength}`] : [])].sort();
  } else out.basic_constraints = null;
  out.basic_constraints_critical = bc?.critical ?? false;
  const tls = findExtension(exts, OID.tlsFeature);
  out.ocsp_must_staple = tls ? decodeMustStaple(tls.value) : null;
  out.ocsp_must_staple_critical = tls?.critical ?? false;
  const san = findExtension(exts, OID.subjectAltName);
  out.subject_alt_name = san ? decodeSan(san.value) : null;
  out.subject_alt_name_critical = san?.critical ?? false;
  return out;
}

function keyIdFields(exts: readonly RawExtension[]): Record<string, unknown> {
  const ski = findExtension(exts, OID.subjectKeyIdentifier);
  const aki = findExtension(exts, OID.authorityKeyIdentifier);
  const akiValue = aki ? decodeAuthorityKeyIdentifier(aki.value) : null;
  return {
    subject_key_identifier: ski ? colonHex(decodeSubjectKeyIdentifier(ski.value)) : null,
    authority_key_identifier: akiValue?.keyIdentifier ? colonHex(akiValue.keyIdentifier) : null,
    authority_cert_issuer: akiValue?.issuer ?? null,
    authority_cert_serial_number: akiValue?.serial !== null && akiValue?.serial !== undefined ? pyInt(akiValue.serial) : null,
  };
}

/** openssl_csr_info's fields (the CSR module's diff). */
export function csrInfo(content: Buffer, preferOne: boolean): Record<string, unknown> {
  const csr = parseCsr(content);
  const subject = namedAttributes(csr.subject);
  const nc = findExtension(csr.extensions, OID.nameConstraints);
  const ncValue = nc ? decodeNameConstraints(nc.value) : null;
  const pk = publicKeyInfo(csr.publicKey, preferOne);
  return {
    subject: nameDict(subject),
    subject_ordered: subject,
    ...extensionFields(csr.extensions),
    name_constraints_permitted: ncValue ? ncValue.permitted : null,
    name_constraints_excluded: ncValue ? ncValue.excluded : null,
    name_constraints_critical: nc?.critical ?? false,
    public_key: publicKeyPem(csr.publicKey),
    public_key_type: pk.type,
    public_key_data: pk.public_data,
    public_key_fingerprints: pk.fingerprints,
    ...keyIdFields(csr.extensions),
    extensions_by_oid: extensionsByOid(csr.extensions),
    signature_valid: csr.signatureValid,
  };
}

/** x509_certificate_info's fields (and the certificate module's diff). */
export function certificateInfo(content: Buffer, preferOne: boolean, allowDer = false, now: Date = new Date()): Record<string, unknown> {
  const cert = parseCertificate(content, allowDer);
  const subject = namedAttributes(cert.subject);
  const issuer = namedAttributes(cert.issuer);
  const pk = publicKeyInfo(cert.publicKey, preferOne);
  const aia = findExtension(cert.extensions, OID.authorityInfoAccess);
  const access = aia ? decodeAuthorityInfoAccess(aia.value) : [];
  return {
    signature_algorithm: oidToName(cert.signatureAlgorithm),
    subject: nameDict(subject),
    subject_ordered: subject,
    issuer: nameDict(issuer),
    issuer_ordered: issuer,
    version: cert.version === 1 || cert.version === 3 ? cert.version : 'unknown',
    ...extensionFields(cert.extensions),
    not_before: asn1Time(cert.notBefore),
    not_after: asn1Time(cert.notAfter),
    expired: cert.notAfter.getTime() < now.getTime(),
    public_key: publicKeyPem(cert.publicKey),
    public_key_type: pk.type,
    public_key_data: pk.public_data,
    public_key_fingerprints: pk.fingerprints,
    fingerprints: fingerprints(cert.der, preferOne),
    ...keyIdFields(cert.extensions),
    serial_number: pyInt(cert.serial),
    extensions_by_oid: extensionsByOid(cert.extensions),
    ocsp_uri: access.find((a) => a.method === OID.ocspAccess)?.uri ?? null,
    issuer_uri: access.find((a) => a.method === OID.caIssuersAccess)?.uri ?? null,
  };
}

/** The diff side of a file: parsed info plus can_parse_*, or {} when there is no file. */
export function diffSide(content: Buffer | null, parse: (c: Buffer) => Record<string, unknown>, flag: string): Record<string, unknown> {
  if (content === null) return {};
  try {
    return { ...parse(content), [flag]: true };
  } catch {
    return { [flag]: false };
  }
}
