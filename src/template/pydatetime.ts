// Python datetime objects as templates see them (now(), template_run_date): attributes,
// strftime() and isoformat(), printing like str(datetime).
import { PyCallable, PyObject } from './pyops';
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
  return obj;
}
