// Certificate requests and certificates as DER/PEM: building and signing them with Node's
// crypto (any key type OpenSSL signs with), parsing them with @peculiar/asn1-x509, and
// checking their signatures against the original to-be-signed bytes.
import * as crypto from 'crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as x from '@peculiar/asn1-x509';
import { Attribute } from '@peculiar/asn1-x509';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { CryptoError } from './errors';
import type { RawExtension } from './extensions';
import { bytesToBigInt, integerBytes } from './extensions';
import { spkiDer } from './keys';
import { OID } from './oids';

const NULL_PARAMS = new Uint8Array([5, 0]).buffer;

/** [signature OID, hash for crypto.sign (null: the key signs the message itself), RSA NULL params] by key kind and digest. */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  rsa: { sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12', sha512: '1.2.840.113549.1.1.13', md5: '1.2.840.113549.1.1.4' },
  ec: { sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4' },
  dsa: { sha1: '1.2.840.10040.4.3', sha256: '2.16.840.1.101.3.4.3.2' },
};
const HASH_OF_SIGNATURE: Readonly<Record<string, string | null>> = {
  '1.2.840.113549.1.1.4': 'md5', '1.2.840.113549.1.1.5': 'sha1', '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512', '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.10040.4.3': 'sha1', '2.16.840.1.101.3.4.3.2': 'sha256', [OID.ed25519]: null, [OID.ed448]: null,
};

/** Edwards keys sign without a separate digest (cryptography_key_needs_digest_for_signing is false). */
export function keyNeedsDigest(key: crypto.KeyObject): boolean {
  return key.asymmetricKeyType !== 'ed25519' && key.asymmetricKeyType !== 'ed448';
}

interface Signer {
  algorithm: x.AlgorithmIdentifier;
  sign(data: Buffer): Buffer;
}

/** How `key` signs with `digest`: the AlgorithmIdentifier to embed and the signing function. */
export function signerFor(key: crypto.KeyObject, digest: string): Signer {
  const kind = key.asymmetricKeyType ?? '';
  if (kind === 'ed25519' || kind === 'ed448') {
    return { algorithm: new x.AlgorithmIdentifier({ algorithm: kind === 'ed25519' ? OID.ed25519 : OID.ed448 }), sign: (d) => crypto.sign(null, d, key) };
  }
  const oid = SIGNATURE_ALGORITHMS[kind]?.[digest];
  if (!oid) throw new CryptoError(`Unsupported digest "${digest}"`);
  const algorithm = new x.AlgorithmIdentifier({ algorithm: oid });
  if (kind === 'rsa') algorithm.parameters = NULL_PARAMS;
  return { algorithm, sign: (d) => crypto.sign(digest, d, key) };
}

/** Verifies a signature over `tbs` with the algorithm named in the object. */
export function verifySignature(tbs: Buffer, algorithm: x.AlgorithmIdentifier, signature: Buffer, publicKey: crypto.KeyObject): boolean {
  const hash = HASH_OF_SIGNATURE[algorithm.algorithm];
  if (hash === undefined) return false;
  try {
    return crypto.verify(hash, tbs, publicKey, signature);
  } catch {
    return false;
  }
}

export function toPem(der: Buffer, label: string): Buffer {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return Buffer.from(`-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`);
}

/** DER of the first PEM block with `label` (or any label), or the input when it is DER already. */
export function fromPem(data: Buffer, labels: readonly string[]): Buffer | null {
  const text = data.toString('latin1');
  const re = /-----BEGIN ([^-]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (labels.includes(m[1] as string)) return Buffer.from((m[2] as string).replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  }
  return null;
}

function toExtensions(exts: readonly RawExtension[]): x.Extensions {
  return new x.Extensions(exts.map((e) => new x.Extension({ extnID: e.oid, critical: e.critical, extnValue: new OctetString(e.value) })));
}

function fromExtensions(exts: x.Extensions | undefined): RawExtension[] {
  return [...(exts ?? [])].map((e) => ({ oid: e.extnID, critical: e.critical, value: Buffer.from(e.extnValue.buffer) }));
}

function publicKeyFromInfo(info: x.SubjectPublicKeyInfo): crypto.KeyObject {
  return crypto.createPublicKey({ key: Buffer.from(AsnConvert.serialize(info)), format: 'der', type: 'spki' });
}

export interface ParsedCsr {
  subject: x.Name;
  extensions: RawExtension[];
  publicKey: crypto.KeyObject;
  spki: Buffer;
  signatureValid: boolean;
  der: Buffer;
}

export function buildCsr(subject: x.Name, extensions: readonly RawExtension[], key: crypto.KeyObject, digest: string): Buffer {
  const signer = signerFor(key, digest);
  const attributes = extensions.length
    ? new Attributes([new Attribute({ type: OID.extensionRequest, values: [AsnConvert.serialize(toExtensions(extensions))] })])
    : new Attributes();
  const info = new CertificationRequestInfo({
    version: 0,
    subject,
    subjectPKInfo: AsnConvert.parse(spkiDer(key), x.SubjectPublicKeyInfo),
    attributes,
  });
  const tbs = Buffer.from(AsnConvert.serialize(info));
  const csr = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: signer.algorithm,
    signature: new Uint8Array(signer.sign(tbs)).buffer,
  });
  return toPem(Buffer.from(AsnConvert.serialize(csr)), 'CERTIFICATE REQUEST');
}

/** Parses a PEM CSR; throws CryptoError when it is not one. */
export function parseCsr(data: Buffer): ParsedCsr {
  const der = fromPem(data, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
  if (!der) throw new CryptoError('Unable to load request');
  let csr: CertificationRequest;
  try {
    csr = AsnConvert.parse(der, CertificationRequest);
  } catch (e) {
    throw new CryptoError(`Unable to load request: ${(e as Error).message}`);
  }
  const info = csr.certificationRequestInfo;
  const extensions: RawExtension[] = [];
  for (const attr of info.attributes) {
    if (attr.type !== OID.extensionRequest) continue;
    for (const v of attr.values) extensions.push(...fromExtensions(AsnConvert.parse(v, x.Extensions)));
  }
  const publicKey = publicKeyFromInfo(info.subjectPKInfo);
  const tbs = Buffer.from(csr.certificationRequestInfoRaw ?? AsnConvert.serialize(info));
  return {
    subject: info.subject,
    extensions,
    publicKey,
    spki: Buffer.from(AsnConvert.serialize(info.subjectPKInfo)),
    signatureValid: verifySignature(tbs, csr.signatureAlgorithm, Buffer.from(csr.signature), publicKey),
    der,
  };
}

export interface CertificateSpec {
  subject: x.Name;
  issuer: x.Name;
  serial: bigint;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  extensions: readonly RawExtension[];
  signingKey: crypto.KeyObject;
  digest: string;
}

/** cryptography's random_serial_number: 159 random bits, never zero. */
export function randomSerial(): bigint {
  for (;;) {
    const n = bytesToBigInt(crypto.randomBytes(20)) >> 1n;
    if (n > 0n) return n;
  }
}

/** A v3 certificate (PEM), signed by `signingKey`; dates lose their milliseconds as in DER. */
export function buildCertificate(spec: CertificateSpec): Buffer {
  const signer = signerFor(spec.signingKey, spec.digest);
  const second = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);
  const tbs = new x.TBSCertificate({
    version: x.Version.v3,
    serialNumber: integerBytes(spec.serial),
    signature: signer.algorithm,
    issuer: spec.issuer,
    validity: new x.Validity({ notBefore: second(spec.notBefore), notAfter: second(spec.notAfter) }),
    subject: spec.subject,
    subjectPublicKeyInfo: AsnConvert.parse(spec.spki, x.SubjectPublicKeyInfo),
  });
  if (spec.extensions.length) tbs.extensions = toExtensions(spec.extensions);
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const cert = new x.Certificate({ tbsCertificate: tbs, signatureAlgorithm: signer.algorithm, signatureValue: new Uint8Array(signer.sign(tbsDer)).buffer });
  return toPem(Buffer.from(AsnConvert.serialize(cert)), 'CERTIFICATE');
}

export interface ParsedCertificate {
  version: number;
  serial: bigint;
  subject: x.Name;
  issuer: x.Name;
  notBefore: Date;
  notAfter: Date;
  extensions: RawExtension[];
  publicKey: crypto.KeyObject;
  spki: Buffer;
  signatureAlgorithm: string;
  der: Buffer;
  /** Does `key` (the issuer's public key) verify this certificate's signature? */
  signedBy(key: crypto.KeyObject): boolean;
}

/** Parses a PEM certificate (or DER when `allowDer`); throws CryptoError when it is not one. */
export function parseCertificate(data: Buffer, allowDer = false): ParsedCertificate {
  const der = fromPem(data, ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']) ?? (allowDer ? data : null);
  if (!der) throw new CryptoError('Unable to load certificate');
  let cert: x.Certificate;
  try {
    cert = AsnConvert.parse(der, x.Certificate);
  } catch (e) {
    throw new CryptoError(`Unable to load certificate: ${(e as Error).message}`);
  }
  const tbs = cert.tbsCertificate;
  const tbsDer = Buffer.from(cert.tbsCertificateRaw ?? AsnConvert.serialize(tbs));
  return {
    version: tbs.version + 1,
    serial: bytesToBigInt(tbs.serialNumber),
    subject: tbs.subject,
    issuer: tbs.issuer,
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    extensions: fromExtensions(tbs.extensions),
    publicKey: publicKeyFromInfo(tbs.subjectPublicKeyInfo),
    spki: Buffer.from(AsnConvert.serialize(tbs.subjectPublicKeyInfo)),
    signatureAlgorithm: cert.signatureAlgorithm.algorithm,
    der,
    signedBy: (key) => verifySignature(tbsDer, cert.signatureAlgorithm, Buffer.from(cert.signatureValue), key),
  };
}
