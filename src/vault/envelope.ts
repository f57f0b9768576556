// The ansible-vault file format (AES256, headers 1.1 and 1.2): PBKDF2-SHA256 (10000 rounds)
// derives the AES-256-CTR key, the HMAC-SHA256 key and the counter; payload hexlified twice.
import * as crypto from 'crypto';

export const VAULT_HEADER = '$ANSIBLE_VAULT';

export class VaultFormatError extends Error {}

export interface Envelope {
  version: string;
  cipher: string;
  /** The vault id of a 1.2 header ('default' otherwise). */
  label: string;
  /** The hexlified payload (salt, hmac and ciphertext, hexlified again). */
  payload: string;
}

/** True when text (or bytes) is vault-encrypted data (starts with the header). */
export function isVaultText(data: string | Buffer): boolean {
  const head = typeof data === 'string' ? data.slice(0, VAULT_HEADER.length) : data.subarray(0, VAULT_HEADER.length).toString('latin1');
  return head === VAULT_HEADER;
}

export function parseEnvelope(text: string): Envelope {
  const lines = text.trim().split(/\r?\n/);
  const header = (lines.shift() ?? '').trim().split(';');
  if (header[0] !== VAULT_HEADER || header.length < 3) throw new VaultFormatError('Vault envelope format error: not a vault header');
  const payload = lines.map((l) => l.trim()).join('');
  return { version: header[1] ?? '', cipher: (header[2] ?? '').trim(), label: header[3]?.trim() || 'default', payload };
}

function unhexlify(hex: string): Buffer {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new VaultFormatError('Vault format unhexlify error: Non-hexadecimal digit found');
  return Buffer.from(hex, 'hex');
}

function deriveKeys(password: Buffer, salt: Buffer): { key: Buffer; hmacKey: Buffer; iv: Buffer } {
  const derived = crypto.pbkdf2Sync(password, salt, 10000, 32 + 32 + 16, 'sha256');
  return { key: derived.subarray(0, 32), hmacKey: derived.subarray(32, 64), iv: derived.subarray(64, 80) };
}

/**
 * Decrypts an envelope's payload with one password; null when the password does not match
 * (the HMAC differs), a VaultFormatError when the payload is malformed.
 */
export function decryptPayload(env: Envelope, password: Buffer): Buffer | null {
  if (env.cipher !== 'AES256') throw new VaultFormatError(`${env.cipher} cipher could not be found`);
  const inner = unhexlify(env.payload).toString('latin1').split('\n');
  if (inner.length !== 3) throw new VaultFormatError('Vault vaulttext format error: not enough values to unpack');
  const [saltHex, hmacHex, cipherHex] = inner as [string, string, string];
  const salt = unhexlify(saltHex);
  const ciphertext = unhexlify(cipherHex);
  const { key, hmacKey, iv } = deriveKeys(password, salt);
  const mac = crypto.createHmac('sha256', hmacKey).update(ciphertext).digest();
  const given = Buffer.from(hmacHex, 'latin1');
  const expected = Buffer.from(mac.toString('hex'), 'latin1');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const decipher = crypto.createDecipheriv('aes-256-ctr', key, iv);
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  // PKCS#7 padding to the AES block size (Ansible pads even in CTR mode)
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > 16 || pad > padded.length) throw new VaultFormatError('Vault format error: invalid padding');
  return padded.subarray(0, padded.length - pad);
}

/** Encrypts as ansible-vault does: 1.1 header, or 1.2 with a label other than 'default';
 *  a random 32-byte salt unless one is given (the vault filter's salt=). */
export function encryptVault(plaintext: Buffer, password: Buffer, label = 'default', salt: Buffer = crypto.randomBytes(32)): string {
  const { key, hmacKey, iv } = deriveKeys(password, salt);
  const padLen = 16 - (plaintext.length % 16);
  const padded = Buffer.concat([plaintext, Buffer.alloc(padLen, padLen)]);
  const cipher = crypto.createCipheriv('aes-256-ctr', key, iv);
  const ciphertext = Buffer.concat([cipher.update(padded), cipher.final()]);
  const mac = crypto.createHmac('sha256', hmacKey).update(ciphertext).digest('hex');
  const payload = Buffer.from([salt.toString('hex'), mac, ciphertext.toString('hex')].join('\n'), 'latin1').toString('hex');
  const header = label !== 'default' ? `${VAULT_HEADER};1.2;AES256;${label}` : `${VAULT_HEADER};1.1;AES256`;
  return [header, ...(payload.match(/.{1,80}/g) ?? []), ''].join('\n');
}
