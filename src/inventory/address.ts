// Host addresses in inventory sources: "host:port" / "[v6]:port" splitting, address
// validation, and "web[01:10]" / "db-[a:c]" range expansion.

export class AddressError extends Error {}

const numericRange = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const hexRange = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const alnumRange = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const ipv6Part = `(?:[0-9a-f]{1,4}|${hexRange})`;
const ipv4Part = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${numericRange})`;
const label = `(?:[\\p{L}\\p{N}_]|${alnumRange})(?:[\\p{L}\\p{N}_-]|${alnumRange})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
export const IPV4 = new RegExp(`^(?:${ipv4Part}\\.){3}${ipv4Part}$`, 'i');
const p = ipv6Part;
export const IPV6 = new RegExp(
  '^(?:' +
    [
      `(?:${p}:){7}${p}`,
      `(?:${p}:){1,6}:`,
      `(?:${p}:)(?::${p}){1,6}`,
      `(?:${p}:){2}(?::${p}){1,5}`,
      `(?:${p}:){3}(?::${p}){1,4}`,
      `(?:${p}:){4}(?::${p}){1,3}`,
      `(?:${p}:){5}(?::${p}){1,2}`,
      `(?:${p}:){6}(?::${p})`,
      `:(?::${p}){1,6}`,
      `${p}?::`,
      `(?:0:){6}(?:${p}\\.){3}${p}`,
      `::(?:ffff:)?(?:${p}\\.){3}${p}`,
      `(?:0:){5}ffff:(?:${p}\\.){3}${p}`,
    ].join('|') +
    ')$',
  'i',
);
const HOSTNAME = new RegExp(`^${label}(?:\\.${label})*$`, 'iu');

/** Splits an optional port off and checks the address is a hostname or IP; throws AddressError otherwise. */
export function parseAddress(address: string, allowRanges: boolean): { host: string; port?: number } {
  let host = address;
  let port: number | undefined;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(host);
    if (m) {
      host = m[1] as string;
      port = parseInt(m[2] as string, 10);
    }
  }
  if (!IPV4.test(host) && !IPV6.test(host) && !HOSTNAME.test(host)) {
    throw new AddressError(`Not a valid network hostname: ${host}`);
  }
  if (!allowRanges && host.includes('[')) throw new AddressError('Detected range in host but was asked to ignore ranges');
  return { host, port };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Expands the first [begin:end(:step)] range of a name, recursively for the others. */
export function expandHostnameRange(line: string): string[] {
  const parts = line.replace('[', '|').replace(']', '|').split('|');
  if (parts.length < 3) throw new AddressError(`not enough values to unpack (expected 3, got ${parts.length})`);
  if (parts.length > 3) throw new AddressError('too many values to unpack (expected 3)');
  const [head, range, tail] = parts as [string, string, string];
  const bounds = range.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new AddressError('host range must be begin:end or begin:end:step');
  const begin = bounds[0] || '0';
  const end = bounds[1] as string;
  const step = bounds.length === 3 ? toInt(bounds[2] as string) : 1;
  if (!end) throw new AddressError('host range must specify end value');
  let fill = (x: string | number): string => String(x);
  if (begin[0] === '0' && begin.length > 1) {
    if (begin.length !== end.length) throw new AddressError('host range must specify equal-length begin and end formats');
    fill = (x) => String(x).padStart(begin.length, '0');
  }
  const seq: (string | number)[] = [];
  const iBegin = LETTERS.indexOf(begin);
  const iEnd = LETTERS.indexOf(end);
  if (iBegin >= 0 && iEnd >= 0) {
    if (iBegin > iEnd) throw new AddressError('host range must have begin <= end');
    if (step <= 0) throw new AddressError('slice step cannot be zero');
    for (let i = iBegin; i <= iEnd; i += step) seq.push(LETTERS[i] as string);
  } else {
    const from = toInt(begin);
    const to = toInt(end);
    if (step === 0) throw new AddressError('range() arg 3 must not be zero');
    const stop = to + 1; // Python's range(begin, end + 1, step)
    for (let i = from; step > 0 ? i < stop : i > stop; i += step) seq.push(i);
  }
  const names: string[] = [];
  for (const item of seq) {
    const name = head + fill(item) + tail;
    if (name.includes('[')) names.push(...expandHostnameRange(name));
    else names.push(name);
  }
  return names;
}

function toInt(s: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(s)) throw new AddressError(`invalid literal for int() with base 10: '${s}'`);
  return parseInt(s, 10);
}

/** A host key of an inventory source → the host names it stands for and an optional port. */
export function expandHostPattern(pattern: string): { hosts: string[]; port?: number } {
  let name = pattern;
  let port: number | undefined;
  try {
    const parsed = parseAddress(pattern, true);
    name = parsed.host;
    port = parsed.port;
  } catch (e) {
    if (!(e instanceof AddressError)) throw e;
  }
  return { hosts: name.includes('[') ? expandHostnameRange(name) : [name], port };
}
