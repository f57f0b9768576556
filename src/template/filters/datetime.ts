// strftime and to_datetime: Python time.strftime directives and datetime.strptime.
import { TemplateError } from '../../errors';
import type { FilterFn } from '../plugin-types';
import { pyStr, truthy } from '../pyvalues';
import { num, opt, requireDefined } from './helpers';
import type { PyObject } from '../pyops';
import { pyDatetime } from '../pydatetime';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);

interface Parts {
  year: number; month: number; day: number; hour: number; minute: number; second: number; micro: number;
  weekday: number; // 0 = Sunday
  offsetMinutes: number | null;
  epoch: number;
}

function partsOf(date: Date, utc: boolean, micro = 0): Parts {
  const g = utc
    ? { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(), weekday: date.getUTCDay() }
    : { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate(), hour: date.getHours(), minute: date.getMinutes(), second: date.getSeconds(), weekday: date.getDay() };
  return { ...g, micro, offsetMinutes: utc ? 0 : -date.getTimezoneOffset(), epoch: Math.floor(date.getTime() / 1000) };
}

function dayOfYear(p: Parts): number {
  return Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86400000) + 1;
}

/** Python's strftime over broken-down time. */
export function pyStrftime(format: string, p: Parts): string {
  return format.replace(/%([-]?)([a-zA-Z%])/g, (m, dash: string, d: string) => {
    const n = (v: number, w = 2) => (dash ? String(v) : pad(v, w));
    const yday = dayOfYear(p);
    switch (d) {
      case 'a': return DAYS[p.weekday]!.slice(0, 3);
      case 'A': return DAYS[p.weekday]!;
      case 'b': case 'h': return MONTHS[p.month - 1]!.slice(0, 3);
      case 'B': return MONTHS[p.month - 1]!;
      case 'c': return `${DAYS[p.weekday]!.slice(0, 3)} ${MONTHS[p.month - 1]!.slice(0, 3)} ${pad(p.day, 2, ' ')} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)} ${p.year}`;
      case 'd': return n(p.day);
      case 'e': return pad(p.day, 2, ' ');
      case 'f': return pad(p.micro, 6);
      case 'H': return n(p.hour);
      case 'I': return n(p.hour % 12 || 12);
      case 'j': return n(yday, 3);
      case 'm': return n(p.month);
      case 'M': return n(p.minute);
      case 'p': return p.hour < 12 ? 'AM' : 'PM';
      case 'S': return n(p.second);
      case 's': return String(p.epoch);
      case 'u': return String(p.weekday || 7);
      case 'w': return String(p.weekday);
      case 'U': return n(Math.floor((yday + 6 - p.weekday) / 7));
      case 'W': return n(Math.floor((yday + 6 - ((p.weekday + 6) % 7)) / 7));
      case 'x': return `${pad(p.month)}/${pad(p.day)}/${pad(p.year % 100)}`;
      case 'X': return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
      case 'y': return n(p.year % 100);
      case 'Y': return String(p.year);
      case 'F': return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
      case 'T': return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
      case 'D': return `${pad(p.month)}/${pad(p.day)}/${pad(p.year % 100)}`;
      case 'R': return `${pad(p.hour)}:${pad(p.minute)}`;
      case 'z': {
        if (p.offsetMinutes === null) return '';
        const o = Math.abs(p.offsetMinutes);
        return (p.offsetMinutes < 0 ? '-' : '+') + pad(Math.floor(o / 60)) + pad(o % 60);
      }
      case 'Z': return p.offsetMinutes === 0 ? 'UTC' : Intl.DateTimeFormat('en', { timeZoneName: 'short' }).formatToParts(new Date(p.epoch * 1000)).find((x) => x.type === 'timeZoneName')?.value ?? '';
      case '%': return '%';
      default: return m;
    }
  });
}

/** datetime.strptime for the common directives. */
export function strptime(text: string, format: string): PyObject {
  const fields: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0, f: 0 };
  let pm: boolean | undefined;
  const order: string[] = [];
  let re = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%' && i + 1 < format.length) {
      const d = format[++i]!;
      const patterns: Record<string, string> = { Y: '(\\d{4})', y: '(\\d{2})', m: '(\\d{1,2})', d: '(\\d{1,2})', H: '(\\d{1,2})', I: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})', f: '(\\d{1,6})', p: '(AM|PM|am|pm)', b: '([A-Za-z]{3})', B: '([A-Za-z]+)', j: '(\\d{1,3})', z: '([+-]\\d{4}|Z)', '%': '%' };
      const pat = patterns[d];
      if (!pat) throw new TemplateError(`'${d}' is a bad directive in format '%${d}'`);
      re += pat;
      if (d !== '%') order.push(d);
    } else if (/\s/.test(c)) re += '\\s+';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp('^' + re + '$').exec(text);
  if (!m) throw new TemplateError(`time data '${text}' does not match format '${format}'`);
  order.forEach((d, i) => {
    const v = m[i + 1]!;
    if (d === 'y') fields.Y = Number(v) + (Number(v) < 69 ? 2000 : 1900);
    else if (d === 'p') pm = v.toLowerCase() === 'pm';
    else if (d === 'b' || d === 'B') fields.m = MONTHS.findIndex((x) => x.toLowerCase().startsWith(v.toLowerCase().slice(0, 3))) + 1;
    else if (d === 'I') fields.H = Number(v) % 12;
    else if (d === 'f') fields.f = Number(v.padEnd(6, '0'));
    else if (d !== 'z') fields[d] = Number(v);
  });
  if (pm) fields.H = (fields.H ?? 0) + 12;
  // A naive datetime: kept as UTC so its fields print back unchanged.
  const ms = Date.UTC(fields.Y!, fields.m! - 1, fields.d!, fields.H!, fields.M!, fields.S!) + Math.floor(fields.f! / 1000);
  return pyDatetime(new Date(ms), true);
}

export const datetimeFilters = {
  strftime: (_ctx, value, args, kwargs) => {
    const format = pyStr(requireDefined(value));
    const second = opt<unknown>(args, kwargs, 0, 'second', null);
    const utc = truthy(opt(args, kwargs, 1, 'utc', false));
    let seconds = Date.now() / 1000;
    if (second !== null) {
      seconds = Number(typeof second === 'string' ? parseFloat(second) : num(second));
      if (Number.isNaN(seconds)) throw new TemplateError(`Invalid value for epoch value (${pyStr(second)})`);
    }
    return pyStrftime(format, partsOf(new Date(Math.floor(seconds) * 1000), utc));
  },
  to_datetime: (_ctx, value, args, kwargs) =>
    strptime(pyStr(requireDefined(value)), pyStr(opt(args, kwargs, 0, 'format', '%Y-%m-%d %H:%M:%S'))),
} satisfies Record<string, FilterFn>;
