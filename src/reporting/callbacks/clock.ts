// Time as the ansible.posix timing callbacks print it: "Saturday 05 December 2026  15:08:07 +0000
// (0:00:00.093)       0:00:00.093 ****", H:MM:SS.mmm durations and the star-filled line.

/** Where the timing callbacks read the time (injected so tests can drive it). */
export interface Clock {
  /** Milliseconds since the epoch, fractional allowed. */
  now(): number;
}

export const systemClock: Clock = { now: () => performance.timeOrigin + performance.now() };

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const two = (n: number): string => String(n).padStart(2, '0');

/** strftime('%A %d %B %Y  %H:%M:%S %z') in local time and the C locale. */
export function strftimeLong(ms: number): string {
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const zone = `${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
  return `${DAYS[d.getDay()]} ${two(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()}  ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${zone}`;
}

/** Seconds as "%d:%02d:%02d.%03d" (hours unbounded, milliseconds truncated as Python's %d does). */
export function secondsToStr(seconds: number): string {
  const totalMs = Math.floor(seconds * 1000);
  const ms = totalMs % 1000;
  const s = Math.floor(totalMs / 1000);
  return `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(ms).padStart(3, '0')}`;
}

/** The message, a space and fill characters to column 79 (at least 3), then a space. */
export function filled(msg: string, fill = '*'): string {
  const head = msg.length === 0 ? '' : `${msg} `;
  const width = Math.max(3, msg.length === 0 ? 79 : 79 - head.length);
  return `${head}${fill.repeat(width)} `;
}

/** "{0:-<W}{1:->9}": left part dash-padded to `width`, right part dash-padded on the left to 9. */
export function dashLine(left: string, right: string, width: number): string {
  return left.padEnd(width, '-') + right.padStart(9, '-');
}

/**
 * The per-task line of profile_tasks and profile_roles: the time now, the time since the previous
 * line and since the callback was loaded. Each callback keeps its own previous time.
 */
export class TaskClock {
  private previous: number;
  constructor(
    private readonly clock: Clock,
    readonly started: number = clock.now(),
  ) {
    this.previous = started;
  }

  line(): string {
    const now = this.clock.now();
    const text = `${strftimeLong(now)} (${secondsToStr((now - this.previous) / 1000)})${' '.repeat(7)}${secondsToStr((now - this.started) / 1000)}`;
    this.previous = now;
    return filled(text);
  }
}
