// modification_time / access_time of the file module: 'now', 'preserve', or a time parsed
// with a strptime format (local time), and the touch commands that set them.
import { shJoin } from '../../connection/quote';
import { ModuleFail } from '../common';
import { PyFloat } from '../../template/pyvalues';

/** Times are Python floats in Ansible's diffs (1577880000.0). */
const pyTime = (n: number): unknown => (Number.isInteger(n) ? new PyFloat(n) : n);

/** null = preserve, 'now' = current time, number = epoch seconds. */
export type WantedTime = null | 'now' | number;

const FIELDS: Record<string, string> = { Y: '(\\d{4})', m: '(\\d{1,2})', d: '(\\d{1,2})', H: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})', y: '(\\d{2})' };

/** A small strptime covering the numeric directives Ansible users put in *_time_format. */
export function strptimeLocal(value: string, format: string): number {
  let re = '^';
  const order: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (c === '%' && i + 1 < format.length) {
      const d = format[++i] as string;
      if (d === '%') re += '%';
      else if (FIELDS[d]) {
        re += FIELDS[d];
        order.push(d);
      } else throw new Error(`'${d}' is a bad directive in format '%${d}'`);
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(re + '$').exec(value);
  if (!m) throw new Error(`time data '${value}' does not match format '${format}'`);
  const v: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  order.forEach((d, i) => {
    const n = Number(m[i + 1]);
    if (d === 'y') v.Y = n < 69 ? 2000 + n : 1900 + n;
    else v[d] = n;
  });
  return new Date(v.Y as number, (v.m as number) - 1, v.d, v.H, v.M, v.S).getTime() / 1000;
}

export function wantedTime(value: string | null, format: string, state: string): WantedTime {
  let v = value;
  if (v === null) v = state === 'touch' ? 'now' : ['file', 'hard', 'directory', 'link'].includes(state) ? 'preserve' : null;
  if (v === null || v === 'preserve') return null;
  if (v === 'now') return 'now';
  try {
    return strptimeLocal(v, format);
  } catch (e) {
    throw new ModuleFail(`Error while obtaining timestamp for time ${v} using format ${format}: ${(e as Error).message}`);
  }
}

export interface TimePlan {
  changed: boolean;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  commands: string[];
}

/** Compares wanted times with the current ones (Ansible's update_timestamp_for_file). */
export function planTimes(path: string, cur: { mtime: number; atime: number }, mtime: WantedTime, atime: WantedTime, nowSec: number): TimePlan {
  const plan: TimePlan = { changed: false, before: {}, after: {}, commands: [] };
  if (mtime === null && atime === null) return plan;
  const m = mtime === null ? cur.mtime : mtime === 'now' ? nowSec : mtime;
  const a = atime === null ? cur.atime : atime === 'now' ? nowSec : atime;
  if (!(mtime === 'now' && atime === 'now') && m === cur.mtime && a === cur.atime) return plan;
  plan.changed = true;
  if (m !== cur.mtime) {
    plan.before.mtime = pyTime(cur.mtime);
    plan.after.mtime = pyTime(m);
  }
  if (a !== cur.atime) {
    plan.before.atime = pyTime(cur.atime);
    plan.after.atime = pyTime(a);
  }
  if (mtime === 'now' && atime === 'now') plan.commands.push(shJoin(['touch', '-c', '--', path]));
  else {
    plan.commands.push(shJoin(['touch', '-c', '-m', '-d', `@${m}`, '--', path]));
    plan.commands.push(shJoin(['touch', '-c', '-a', '-d', `@${a}`, '--', path]));
  }
  return plan;
}
