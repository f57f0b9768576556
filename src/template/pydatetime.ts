// Python datetime objects as templates see them (now(), template_run_date): attributes,
// strftime() and isoformat(), printing like str(datetime).
import { PyCallable, PyObject, mkFloat } from './pyops';
import { pyStr } from './pyvalues';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  weekday: number; // 0 = Sunday (JS)
}

function partsOf(d: Date, utc: boolean): Parts {
  return utc
    ? { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), microsecond: d.getUTCMilliseconds() * 1000, weekday: d.getUTCDay() }
    : { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds(), microsecond: d.getMilliseconds() * 1000, weekday: d.getDay() };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** C strftime for the common directives. */
export function strftime(fmt: string, d: Date, utc = false): string {
  const p = partsOf(d, utc);
  const start = Date.UTC(p.year, 0, 1);
  const dayOfYear = Math.floor((Date.UTC(p.year, p.month - 1, p.day) - start) / 86400000) + 1;
  const map: Record<string, string> = {
    Y: String(p.year),
    y: pad(p.year % 100),
    m: pad(p.month),
    d: pad(p.day),
    e: String(p.day).padStart(2, ' '),
    H: pad(p.hour),
    I: pad(p.hour % 12 === 0 ? 12 : p.hour % 12),
    p: p.hour < 12 ? 'AM' : 'PM',
    M: pad(p.minute),
    S: pad(p.second),
    f: pad(p.microsecond, 6),
    j: pad(dayOfYear, 3),
    A: DAYS[p.weekday] as string,
    a: (DAYS[p.weekday] as string).slice(0, 3),
    w: String(p.weekday),
    B: MONTHS[p.month - 1] as string,
    b: (MONTHS[p.month - 1] as string).slice(0, 3),
    s: String(Math.floor(d.getTime() / 1000)),
    z: utc ? '+0000' : offset(d),
    Z: utc ? 'UTC' : '',
    F: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
    T: `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`,
    '%': '%',
  };
  return fmt.replace(/%(.)/g, (all, c: string) => map[c] ?? all);
}

function offset(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${sign}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;
}

/** A datetime.datetime value. */
export function pyDatetime(d: Date, utc = false): PyObject {
  const p = partsOf(d, utc);
  const text = `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${p.microsecond ? '.' + pad(p.microsecond, 6) : ''}`;
  const obj = new PyObject('datetime', {
    year: p.year,
    month: p.month,
    day: p.day,
    hour: p.hour,
    minute: p.minute,
    second: p.second,
    microsecond: p.microsecond,
    strftime: new PyCallable('strftime', (a) => strftime(pyStr(a[0]), d, utc)),
    isoformat: new PyCallable('isoformat', (a) => text.replace(' ', a[0] === undefined ? 'T' : pyStr(a[0]))),
    timestamp: new PyCallable('timestamp', () => d.getTime() / 1000),
    weekday: new PyCallable('weekday', () => (p.weekday + 6) % 7),
  });
  obj.str = text;
  obj.native = d;
  return obj;
}

/** datetime.timedelta from a number of milliseconds. */
export function pyTimedelta(ms: number): PyObject {
  const totalMicro = Math.round(ms * 1000);
  const days = Math.floor(totalMicro / 86400e6);
  const rest = totalMicro - days * 86400e6;
  const seconds = Math.floor(rest / 1e6);
  const micro = rest - seconds * 1e6;
  const hms = `${Math.floor(seconds / 3600)}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}${micro ? '.' + pad(micro, 6) : ''}`;
  const obj = new PyObject('timedelta', {
    days,
    seconds,
    microseconds: micro,
    total_seconds: new PyCallable('total_seconds', () => mkFloat(totalMicro / 1e6)),
  });
  obj.str = days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${hms}` : hms;
  obj.native = ms;
  return obj;
}

function isKind(v: unknown, kind: string): v is PyObject {
  return v instanceof PyObject && v.typeName === kind;
}

/** datetime - datetime, datetime ± timedelta; undefined when the operands are not dates. */
export function datetimeBinop(op: string, a: unknown, b: unknown): PyObject | undefined {
  if (isKind(a, 'datetime') && isKind(b, 'datetime') && op === '-') return pyTimedelta((a.native as Date).getTime() - (b.native as Date).getTime());
  if (isKind(a, 'datetime') && isKind(b, 'timedelta') && (op === '+' || op === '-')) {
    const delta = (b.native as number) * (op === '+' ? 1 : -1);
    return pyDatetime(new Date((a.native as Date).getTime() + delta));
  }
  if (isKind(a, 'timedelta') && isKind(b, 'timedelta') && (op === '+' || op === '-')) {
    return pyTimedelta((a.native as number) + (b.native as number) * (op === '+' ? 1 : -1));
  }
  return undefined;
}

/** Comparison of two datetimes or two timedeltas: -1/0/1, or undefined for other values. */
export function datetimeOrder(a: unknown, b: unknown): number | undefined {
  const key = (v: unknown): number | undefined =>
    isKind(v, 'datetime') ? (v.native as Date).getTime() : isKind(v, 'timedelta') ? (v.native as number) : undefined;
  const ka = key(a);
  const kb = key(b);
  if (ka === undefined || kb === undefined || (a as PyObject).typeName !== (b as PyObject).typeName) return undefined;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
