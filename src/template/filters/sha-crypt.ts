// SHA-crypt ($5$ / $6$, Ulrich Drepper's public specification) for password_hash,
// matching glibc crypt() output including the rounds= prefix rules.
import { createHash } from 'crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const SHA512_ORDER = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
  [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
  [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];
const SHA256_ORDER = [
  [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26],
  [27, 7, 17], [18, 28, 8], [9, 19, 29],
];

function b64From24(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ITOA64[w & 0x3f];
    w >>= 6;
  }
  return out;
}

function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = block[i % block.length]!;
  return out;
}

export function shaCrypt(algorithm: 'sha256' | 'sha512', password: string, saltIn: string, roundsIn?: number): string {
  const hashLen = algorithm === 'sha512' ? 64 : 32;
  const digest = (...parts: Buffer[]) => {
    const h = createHash(algorithm);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const custom = roundsIn !== undefined;
  const rounds = custom ? Math.min(999999999, Math.max(1000, roundsIn)) : 5000;
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(saltIn.slice(0, 16), 'utf8');

  const B = digest(P, S, P);
  const a = createHash(algorithm).update(P).update(S);
  let remaining = P.length;
  for (; remaining > hashLen; remaining -= hashLen) a.update(B);
  a.update(B.subarray(0, remaining));
  for (let i = P.length; i > 0; i >>= 1) a.update(i & 1 ? B : P);
  const A = a.digest();

  const dp = createHash(algorithm);
  for (let i = 0; i < P.length; i++) dp.update(P);
  const Pseq = repeatTo(dp.digest(), P.length);
  const ds = createHash(algorithm);
  for (let i = 0; i < 16 + A[0]!; i++) ds.update(S);
  const Sseq = repeatTo(ds.digest(), S.length);

  let C = A;
  for (let r = 0; r < rounds; r++) {
    const h = createHash(algorithm);
    h.update(r & 1 ? Pseq : C);
    if (r % 3) h.update(Sseq);
    if (r % 7) h.update(Pseq);
    h.update(r & 1 ? C : Pseq);
    C = h.digest();
  }

  let encoded = '';
  for (const [x, y, z] of algorithm === 'sha512' ? SHA512_ORDER : SHA256_ORDER) encoded += b64From24(C[x!]!, C[y!]!, C[z!]!, 4);
  encoded += algorithm === 'sha512' ? b64From24(0, 0, C[63]!, 2) : b64From24(0, C[31]!, C[30]!, 3);
  const id = algorithm === 'sha512' ? '6' : '5';
  return `$${id}$${custom ? `rounds=${rounds}$` : ''}${S.toString('utf8')}$${encoded}`;
}
