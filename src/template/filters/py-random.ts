// Python's random.Random reimplemented (MT19937, seeding from int/str, getrandbits,
// randbelow, randrange, choice, shuffle) so seeded filters match Ansible exactly.
import { createHash, randomInt } from 'crypto';

const N = 624;
const M = 397;

export class PyRandom {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(seed: unknown) {
    this.initByArray(seedKey(seed));
  }

  private initGenrand(s: number): void {
    this.mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: number[]): void {
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    const len = Math.max(1, key.length);
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      this.mt[i] = ((this.mt[i]! ^ Math.imul(prev, 1664525)) + (key[j] ?? 0) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        this.mt[0] = this.mt[N - 1]!;
        i = 1;
      }
      if (j >= len) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      this.mt[i] = ((this.mt[i]! ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        this.mt[0] = this.mt[N - 1]!;
        i = 1;
      }
    }
    this.mt[0] = 0x80000000;
  }

  genrandUint32(): number {
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (this.mt[k]! & 0x80000000) | (this.mt[(k + 1) % N]! & 0x7fffffff);
        this.mt[k] = this.mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0;
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
    y ^= y >>> 18;
    return y >>> 0;
  }

  getrandbits(k: number): bigint {
    if (k <= 32) return BigInt(this.genrandUint32() >>> (32 - k));
    let result = 0n;
    let shift = 0n;
    for (let bits = k; bits > 0; bits -= 32) {
      let r = this.genrandUint32();
      if (bits < 32) r >>>= 32 - bits;
      result |= BigInt(r) << shift;
      shift += 32n;
    }
    return result;
  }

  randbelow(n: number): number {
    if (n <= 0) return 0;
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= BigInt(n)) r = this.getrandbits(k);
    return Number(r);
  }

  random(): number {
    const a = this.genrandUint32() >>> 5;
    const b = this.genrandUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/** Python 3 seeding: int → its 32-bit words; str → int(bytes + sha512(bytes)). */
function seedKey(seed: unknown): number[] {
  let big: bigint;
  if (typeof seed === 'number' && Number.isInteger(seed)) big = BigInt(Math.abs(seed));
  else if (typeof seed === 'boolean') big = seed ? 1n : 0n;
  else {
    const bytes = Buffer.from(String(seed), 'utf8');
    const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
    big = BigInt('0x' + (all.toString('hex') || '0'));
  }
  const key: number[] = [];
  while (big > 0n) {
    key.push(Number(big & 0xffffffffn));
    big >>= 32n;
  }
  return key.length ? key : [0];
}

/** A source of randomness: seeded (reproducible) or the system's. */
export interface RandomSource {
  randbelow(n: number): number;
}

export function randomSource(seed: unknown): RandomSource {
  if (seed === null || seed === undefined) return { randbelow: (n) => (n <= 0 ? 0 : randomInt(n)) };
  return new PyRandom(seed);
}

export function randrange(r: RandomSource, start: number, stop: number, step: number): number {
  const width = stop - start;
  if (step === 1) {
    if (width <= 0) throw new Error(`empty range for randrange() (${start}, ${stop}, ${width})`);
    return start + r.randbelow(width);
  }
  const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step);
  if (n <= 0) throw new Error('empty range for randrange()');
  return start + step * r.randbelow(n);
}

export function shuffle<T>(r: RandomSource, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.randbelow(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
