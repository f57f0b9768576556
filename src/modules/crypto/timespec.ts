// community.crypto's time specifications: relative ("+3650d", "-1w2d", "+0s") from now, or
// absolute ASN.1 times ("20301231235959Z", "202012312359+0100"); and its result format.
import { CryptoError } from './errors';

const RELATIVE = /^([+-])(?:(\d+)[wW])?(?:(\d+)[dD])?(?:(\d+)[hH])?(?:(\d+)[mM])?(?:(\d+)[sS]?)?$/;
const ABSOLUTE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;

/** The instant a time spec means, `now` being the current time. */
export function parseTimeSpec(spec: string, option: string, now: Date = new Date()): Date {
  const rel = RELATIVE.exec(spec);
  if (rel && spec.length > 1) {
    const [, sign, w, d, h, m, s] = rel;
    const seconds = Number(w ?? 0) * 604800 + Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
    return new Date(now.getTime() + (sign === '-' ? -1 : 1) * seconds * 1000);
  }
  const abs = ABSOLUTE.exec(spec);
  if (abs) {
    const [, y, mo, d, h, mi, s, zone] = abs;
    let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
    if (zone && zone !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60000;
    }
    if (!Number.isNaN(t)) return new Date(t);
  }
  throw new CryptoError(`The time spec "${spec}" for ${option} is invalid`);
}

/** "%Y%m%d%H%M%SZ" of a UTC instant, as the modules return notBefore/notAfter. */
export function asn1Time(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

/** Same instant to the second (certificates carry no fractions). */
export function sameSecond(a: Date, b: Date): boolean {
  return Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);
}
