// Private keys on the controller with Node's crypto: generating them, serialising them in
// the formats community.crypto writes (PKCS#1/SEC1, PKCS#8, raw; AES-256 passphrases),
// loading existing ones with its passphrase rules, and describing them (type, size, curve).
import * as crypto from 'crypto';
import { CryptoError } from './errors';

export type KeyType = 'RSA' | 'DSA' | 'ECC' | 'Ed25519' | 'Ed448' | 'X25519' | 'X448';
export type KeyFormat = 'pkcs1' | 'pkcs8' | 'raw';

/** community.crypto's curve names → OpenSSL's, and whether new keys on them are discouraged. */
export const CURVES: Readonly<Record<string, { openssl: string; deprecated?: boolean }>> = {
  secp224r1: { openssl: 'secp224r1' },
  secp256k1: { openssl: 'secp256k1' },
  secp256r1: { openssl: 'prime256v1' },
  secp384r1: { openssl: 'secp384r1' },
  secp521r1: { openssl: 'secp521r1' },
  secp192r1: { openssl: 'prime192v1', deprecated: true },
  brainpoolP256r1: { openssl: 'brainpoolP256r1', deprecated: true },
  brainpoolP384r1: { openssl: 'brainpoolP384r1', deprecated: true },
  brainpoolP512r1: { openssl: 'brainpoolP512r1', deprecated: true },
  sect163k1: { openssl: 'sect163k1', deprecated: true },
  sect163r2: { openssl: 'sect163r2', deprecated: true },
  sect233k1: { openssl: 'sect233k1', deprecated: true },
  sect233r1: { openssl: 'sect233r1', deprecated: true },
  sect283k1: { openssl: 'sect283k1', deprecated: true },
  sect283r1: { openssl: 'sect283r1', deprecated: true },
  sect409k1: { openssl: 'sect409k1', deprecated: true },
  sect409r1: { openssl: 'sect409r1', deprecated: true },
  sect571k1: { openssl: 'sect571k1', deprecated: true },
  sect571r1: { openssl: 'sect571r1', deprecated: true },
};

/** Curve bit sizes (cryptography's curve.key_size), for public_data.exponent_size. */
const CURVE_BITS: Readonly<Record<string, number>> = {
  secp224r1: 224, secp256k1: 256, secp256r1: 256, secp384r1: 384, secp521r1: 521, secp192r1: 192,
  brainpoolP256r1: 256, brainpoolP384r1: 384, brainpoolP512r1: 512,
  sect163k1: 163, sect163r2: 163, sect233k1: 233, sect233r1: 233, sect283k1: 283, sect283r1: 283,
  sect409k1: 409, sect409r1: 409, sect571k1: 570, sect571r1: 570,
};

/** OpenSSL curve name (as Node reports it) → community.crypto's name. */
export function curveNameOf(opensslName: string): string {
  for (const [name, c] of Object.entries(CURVES)) if (c.openssl === opensslName) return name;
  return opensslName;
}

export class BadPassphraseError extends CryptoError {}

export interface KeyDescription {
  type: KeyType | string;
  /** Bits for RSA/DSA. */
  size?: number;
  /** community.crypto's curve name for ECC. */
  curve?: string;
}

export function generatePrivateKey(type: KeyType, size: number, curve: string | null): crypto.KeyObject {
  switch (type) {
    case 'RSA':
      return crypto.generateKeyPairSync('rsa', { modulusLength: size, publicExponent: 65537 }).privateKey;
    case 'DSA':
      return crypto.generateKeyPairSync('dsa', { modulusLength: size, divisorLength: size >= 2048 ? 256 : 160 }).privateKey;
    case 'ECC': {
      const c = curve === null ? undefined : CURVES[curve];
      if (!c) throw new CryptoError(`Cryptography backend does not support the algorithm required for ${type}`);
      return crypto.generateKeyPairSync('ec', { namedCurve: c.openssl }).privateKey;
    }
    case 'Ed25519':
      return crypto.generateKeyPairSync('ed25519').privateKey;
    case 'Ed448':
      return crypto.generateKeyPairSync('ed448').privateKey;
    case 'X25519':
      return crypto.generateKeyPairSync('x25519').privateKey;
    case 'X448':
      return crypto.generateKeyPairSync('x448').privateKey;
  }
}

/** The format a new key is written in: `auto`/`auto_ignore` mean PKCS#8 for the Edwards/Montgomery keys, else PKCS#1. */
export function wantedFormat(format: string, type: string): KeyFormat {
  if (format !== 'auto' && format !== 'auto_ignore') return format as KeyFormat;
  return ['X25519', 'X448', 'Ed25519', 'Ed448'].includes(type) ? 'pkcs8' : 'pkcs1';
}

/** Serialises a private key; `passphrase` encrypts it with AES-256-CBC (cryptography's BestAvailableEncryption). */
export function serializePrivateKey(key: crypto.KeyObject, format: KeyFormat, passphrase: string | null): Buffer {
  const kind = key.asymmetricKeyType;
  if (format === 'raw') {
    if (kind !== 'ed25519' && kind !== 'ed448' && kind !== 'x25519' && kind !== 'x448') {
      throw new CryptoError('Cryptography backend cannot serialize the private key in the required format "raw"');
    }
    return Buffer.from(key.export({ format: 'jwk' }).d ?? '', 'base64url');
  }
  let type: 'pkcs1' | 'sec1' | 'pkcs8' = 'pkcs8';
  if (format === 'pkcs1') {
    if (kind === 'rsa') type = 'pkcs1';
    else if (kind === 'ec') type = 'sec1';
    else throw new CryptoError('Cryptography backend cannot serialize the private key in the required format "pkcs1"');
  }
  const enc = passphrase ? { cipher: 'aes-256-cbc', passphrase } : {};
  return Buffer.from(key.export({ type, format: 'pem', ...enc } as crypto.KeyExportOptions<'pem'>) as string);
}

const PEM_FIRST_LINE = /^-----BEGIN (.+)-----$/;
const PKCS8_NAMES = ['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'];

/** community.crypto's identify_private_key_format: pkcs1, pkcs8, unknown-pem, or raw (not PEM). */
export function identifyKeyFormat(content: Buffer): 'pkcs1' | 'pkcs8' | 'unknown-pem' | 'raw' {
  const first = content.toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  const m = PEM_FIRST_LINE.exec(first);
  if (!m || !m[1]) return 'raw';
  if (PKCS8_NAMES.includes(m[1])) return 'pkcs8';
  if (m[1].length > ' PRIVATE KEY'.length && m[1].endsWith(' PRIVATE KEY')) return 'pkcs1';
  return 'unknown-pem';
}

function isEncryptedPem(text: string): boolean {
  return text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /^Proc-Type: 4,ENCRYPTED$/m.test(text);
}

/** PKCS#8 DER prefixes for raw Edwards/Montgomery private keys (RFC 8410). */
const RAW_PREFIX: Readonly<Record<string, string>> = {
  X25519: '302e020100300506032b656e04220420',
  Ed25519: '302e020100300506032b657004220420',
  X448: '3046020100300506032b656f043a0438',
  Ed448: '3047020100300506032b6571043b0439',
};

function fromRaw(data: Buffer, preferType: string | null): crypto.KeyObject {
  const candidates =
    data.length === 56 ? ['X448'] : data.length === 57 ? ['Ed448'] : data.length === 32 ? (preferType === 'Ed25519' ? ['Ed25519', 'X25519'] : ['X25519', 'Ed25519']) : [];
  for (const t of candidates) {
    try {
      return crypto.createPrivateKey({ key: Buffer.concat([Buffer.from(RAW_PREFIX[t] as string, 'hex'), data]), format: 'der', type: 'pkcs8' });
    } catch {
      /* try the next type */
    }
  }
  throw new CryptoError('Cannot load raw key');
}

/**
 * Loads a private key as cryptography's load_pem_private_key does: a passphrase for an
 * unencrypted key, or none for an encrypted one, is an error (BadPassphraseError).
 */
export function loadPrivateKey(content: Buffer, passphrase: string | null, preferRawType: string | null = null): crypto.KeyObject {
  if (identifyKeyFormat(content) === 'raw') {
    if (passphrase !== null) throw new BadPassphraseError('Wrong or empty passphrase provided for private key');
    return fromRaw(content, preferRawType);
  }
  const text = content.toString('utf8');
  const encrypted = isEncryptedPem(text);
  if (encrypted !== (passphrase !== null)) throw new BadPassphraseError('Wrong or empty passphrase provided for private key');
  try {
    return crypto.createPrivateKey(passphrase === null ? { key: text, format: 'pem' } : { key: text, format: 'pem', passphrase });
  } catch {
    throw new BadPassphraseError('Wrong passphrase provided for private key');
  }
}

const NODE_TYPES: Readonly<Record<string, KeyType>> = {
  rsa: 'RSA', dsa: 'DSA', ec: 'ECC', ed25519: 'Ed25519', ed448: 'Ed448', x25519: 'X25519', x448: 'X448',
};

export function describeKey(key: crypto.KeyObject): KeyDescription {
  const type = NODE_TYPES[key.asymmetricKeyType ?? ''] ?? `unknown (${key.asymmetricKeyType ?? '?'})`;
  const d = key.asymmetricKeyDetails ?? {};
  if (type === 'RSA' || type === 'DSA') return { type, size: d.modulusLength ?? 0 };
  if (type === 'ECC') return { type, curve: curveNameOf(d.namedCurve ?? '') };
  return { type };
}

/** A public KeyObject (works for private or public input). */
export function publicOf(key: crypto.KeyObject): crypto.KeyObject {
  return key.type === 'private' ? crypto.createPublicKey(key) : key;
}

/** SubjectPublicKeyInfo DER of a key (private or public). */
export function spkiDer(key: crypto.KeyObject): Buffer {
  return publicOf(key).export({ type: 'spki', format: 'der' });
}

export function publicKeyPem(key: crypto.KeyObject): string {
  return publicOf(key).export({ type: 'spki', format: 'pem' }) as string;
}

/** The OpenSSH one-line public key ("ssh-rsa AAAA..."), for openssl_publickey format=OpenSSH. */
export function publicKeyOpenSsh(key: crypto.KeyObject): string {
  const pub = publicOf(key);
  const jwk = pub.export({ format: 'jwk' });
  const str = (b: Buffer): Buffer => Buffer.concat([u32(b.length), b]);
  const mpint = (b: Buffer): Buffer => str(b.length && ((b[0] as number) & 0x80) ? Buffer.concat([Buffer.from([0]), b]) : b);
  let name: string;
  let body: Buffer[];
  if (jwk.kty === 'RSA') {
    name = 'ssh-rsa';
    body = [mpint(Buffer.from(jwk.e ?? '', 'base64url')), mpint(Buffer.from(jwk.n ?? '', 'base64url'))];
  } else if (jwk.kty === 'EC') {
    const curve = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' }[jwk.crv ?? ''];
    if (!curve) throw new CryptoError('OpenSSH format is not supported for this key type');
    name = `ecdsa-sha2-${curve}`;
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    body = [str(Buffer.from(curve)), str(point)];
  } else if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    name = 'ssh-ed25519';
    body = [str(Buffer.from(jwk.x ?? '', 'base64url'))];
  } else {
    throw new CryptoError('OpenSSH format is not supported for this key type');
  }
  return `${name} ${Buffer.concat([str(Buffer.from(name)), ...body]).toString('base64')}`;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Does the public half of two keys match? */
export function samePublicKey(a: crypto.KeyObject, b: crypto.KeyObject): boolean {
  return spkiDer(a).equals(spkiDer(b));
}

/** Python's hashlib.algorithms_guaranteed, as Node names them (shake digests are 32 bytes, as hexdigest(32)). */
const FINGERPRINT_ALGORITHMS: readonly (readonly [string, string, number?])[] = [
  ['blake2b', 'blake2b512'], ['blake2s', 'blake2s256'], ['md5', 'md5'], ['sha1', 'sha1'], ['sha224', 'sha224'],
  ['sha256', 'sha256'], ['sha384', 'sha384'], ['sha3_224', 'sha3-224'], ['sha3_256', 'sha3-256'], ['sha3_384', 'sha3-384'],
  ['sha3_512', 'sha3-512'], ['sha512', 'sha512'], ['shake_128', 'shake128', 32], ['shake_256', 'shake256', 32],
];

const colonHex = (b: Buffer): string => b.toString('hex').replace(/(..)(?!$)/g, '$1:');

/** community.crypto's get_fingerprint_of_bytes: every guaranteed hash, or only sha256 with preferOne. */
export function fingerprints(data: Buffer, preferOne = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, node, len] of FINGERPRINT_ALGORITHMS) {
    if (preferOne && name !== 'sha256') continue;
    const h = len ? crypto.createHash(node, { outputLength: len }) : crypto.createHash(node);
    out[name] = colonHex(h.update(data).digest());
  }
  return out;
}

export { colonHex };

/** A Python int for results: a number when exact, else its decimal string (tsible values have no big integers). */
export function pyInt(n: bigint): number | string {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n.toString();
}

const b64uInt = (s: string | undefined): bigint => BigInt('0x' + (Buffer.from(s ?? '', 'base64url').toString('hex') || '0'));

/** community.crypto's public_data for a key: size/modulus/exponent, or curve/x/y/exponent_size. */
export function publicData(key: crypto.KeyObject): Record<string, unknown> {
  const desc = describeKey(key);
  if (desc.type === 'RSA') {
    const jwk = publicOf(key).export({ format: 'jwk' });
    return { size: desc.size, modulus: pyInt(b64uInt(jwk.n)), exponent: pyInt(b64uInt(jwk.e)) };
  }
  if (desc.type === 'ECC') {
    const out: Record<string, unknown> = { curve: desc.curve };
    try {
      const jwk = publicOf(key).export({ format: 'jwk' });
      out.x = pyInt(b64uInt(jwk.x));
      out.y = pyInt(b64uInt(jwk.y));
    } catch {
      /* Node exports JWK for the NIST and secp256k1 curves only */
    }
    out.exponent_size = CURVE_BITS[desc.curve ?? ''] ?? null;
    return out;
  }
  if (desc.type === 'DSA') return { size: desc.size };
  return {};
}
