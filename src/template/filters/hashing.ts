// Hashing and encoding filters: hash/md5/sha1/checksum, b64encode/b64decode,
// password_hash (SHA-crypt) and to_uuid (uuid5).
import { createHash, getHashes, randomInt } from 'crypto';
import { TemplateError } from '../../errors';
import type { FilterFn } from '../plugin-types';
import { pyStr } from '../pyvalues';
import { opt, requireArgs, requireDefined } from './helpers';
import { shaCrypt } from './sha-crypt';

const text = (v: unknown) => pyStr(requireDefined(v));

function hexDigest(algorithm: string, data: string): string {
  const name = algorithm.toLowerCase().replace(/^sha-?(\d)/, 'sha$1');
  if (!getHashes().includes(name)) throw new TemplateError(`unsupported hash type ${algorithm}`);
  return createHash(name).update(Buffer.from(data, 'utf8')).digest('hex');
}

const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./';

const passwordHash: FilterFn = (_ctx, value, args, kwargs) => {
  requireArgs(args, kwargs);
  const password = text(value);
  const hashtype = pyStr(opt(args, kwargs, 0, 'hashtype', 'sha512'));
  const saltArg = opt<unknown>(args, kwargs, 1, 'salt', null);
  const saltSize = opt<unknown>(args, kwargs, 2, 'salt_size', null);
  const rounds = opt<unknown>(args, kwargs, 3, 'rounds', null);
  const algorithms: Record<string, 'sha256' | 'sha512'> = { sha256: 'sha256', sha256_crypt: 'sha256', sha512: 'sha512', sha512_crypt: 'sha512' };
  const algorithm = algorithms[hashtype];
  if (!algorithm) throw new TemplateError(`crypt.crypt does not support '${hashtype}' algorithm`);
  const size = saltSize === null ? 16 : Number(saltSize);
  const salt = saltArg === null ? Array.from({ length: size }, () => SALT_CHARS[randomInt(SALT_CHARS.length)]).join('') : pyStr(saltArg);
  if (/[^./0-9A-Za-z]/.test(salt)) throw new TemplateError('invalid characters in salt');
  if (salt.length > 16) throw new TemplateError('invalid salt size');
  const implicitRounds = algorithm === 'sha512' ? 656000 : 535000;
  const r = rounds === null || Number(rounds) === implicitRounds ? undefined : Number(rounds);
  return shaCrypt(algorithm, password, salt, r);
};

/** uuid5 in Ansible's namespace (to_uuid). */
function uuid5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TemplateError(`Invalid value '${namespace}' for 'namespace': badly formed hexadecimal UUID string`);
  const h = createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const hashingFilters = {
  hash: (_ctx, value, args, kwargs) => hexDigest(pyStr(opt(args, kwargs, 0, 'hashtype', 'sha1')), text(value)),
  md5: (_ctx, value) => hexDigest('md5', text(value)),
  sha1: (_ctx, value) => hexDigest('sha1', text(value)),
  checksum: (_ctx, value) => hexDigest('sha1', text(value)),
  b64encode: (_ctx, value, args, kwargs) => {
    const enc = pyStr(opt(args, kwargs, 0, 'encoding', 'utf-8')).toLowerCase();
    return Buffer.from(text(value), enc.startsWith('utf-16') ? 'utf16le' : 'utf8').toString('base64');
  },
  b64decode: (_ctx, value, args, kwargs) => {
    const enc = pyStr(opt(args, kwargs, 0, 'encoding', 'utf-8')).toLowerCase();
    return Buffer.from(text(value), 'base64').toString(enc.startsWith('utf-16') ? 'utf16le' : 'utf8');
  },
  password_hash: passwordHash,
  to_uuid: (_ctx, value, args, kwargs) =>
    uuid5(text(value), pyStr(opt(args, kwargs, 0, 'namespace', '361E6D51-FAEC-444A-9079-341386DA8E2E'))),
} satisfies Record<string, FilterFn>;
