// IPv4/IPv6 addresses and networks as BigInt (parsing, formatting, arithmetic),
// the netaddr subset the ipaddr family of filters needs.

export interface IPNet {
  version: 4 | 6;
  ip: bigint; // the address as given (host part kept)
  prefix: number;
  hasPrefix: boolean;
}

const bits = (version: 4 | 6) => (version === 4 ? 32 : 128);

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = parseV4(v4[1]!);
    if (n === undefined) return undefined;
    text = text.slice(0, -v4[1]!.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (h: string) => (h === '' ? [] : h.split(':'));
  const head = words(halves[0] ?? '');
  const rest = halves.length === 2 ? words(halves[1] ?? '') : [];
  if ([...head, ...rest].some((w) => !/^[0-9a-fA-F]{1,4}$/.test(w))) return undefined;
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const all = [...head.map((w) => BigInt('0x' + w)), ...Array<bigint>(8 - total).fill(0n), ...rest.map((w) => BigInt('0x' + w))];
  return all.reduce((acc, w) => (acc << 16n) | w, 0n);
}

function maskToPrefix(mask: bigint, width: number): number | undefined {
  const s = mask.toString(2).padStart(width, '0');
  return /^1*0*$/.test(s) ? s.indexOf('0') === -1 ? width : s.indexOf('0') : undefined;
}

/** netaddr.IPNetwork(value): "addr", "addr/prefix" or "addr/netmask"; undefined when invalid. */
export function parseNet(value: string): IPNet | undefined {
  const [addr = '', pfx, extra] = value.trim().split('/');
  if (extra !== undefined) return undefined;
  let version: 4 | 6 = 4;
  let ip = parseV4(addr);
  if (ip === undefined) {
    ip = parseV6(addr);
    version = 6;
  }
  if (ip === undefined) return undefined;
  const width = bits(version);
  if (pfx === undefined) return { version, ip, prefix: width, hasPrefix: false };
  let prefix: number | undefined;
  if (/^\d+$/.test(pfx)) prefix = Number(pfx);
  else if (version === 4) {
    const m = parseV4(pfx);
    prefix = m === undefined ? undefined : maskToPrefix(m, 32) ?? maskToPrefix(~m & 0xffffffffn, 32);
  }
  if (prefix === undefined || prefix > width) return undefined;
  return { version, ip, prefix, hasPrefix: true };
}

export function formatIp(ip: bigint, version: 4 | 6): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip >> s) & 0xffn)).join('.');
  // netaddr prints IPv4-mapped addresses with a dotted tail.
  if (ip >> 32n === 0xffffn) return '::ffff:' + formatIp(ip & 0xffffffffn, 4);
  const words = Array.from({ length: 8 }, (_, i) => (ip >> BigInt(112 - 16 * i)) & 0xffffn);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0n) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0n) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestLen < 2) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

export const maxOf = (n: IPNet) => (1n << BigInt(bits(n.version))) - 1n;
export const netmask = (n: IPNet) => maxOf(n) ^ hostmask(n);
export const hostmask = (n: IPNet) => (1n << BigInt(bits(n.version) - n.prefix)) - 1n;
export const networkOf = (n: IPNet) => n.ip & netmask(n);
export const broadcastOf = (n: IPNet) => networkOf(n) | hostmask(n);
export const sizeOf = (n: IPNet) => 1n << BigInt(bits(n.version) - n.prefix);
export const cidr = (n: IPNet) => `${formatIp(networkOf(n), n.version)}/${n.prefix}`;

/** The nth address of the network (negative counts from the end), or undefined when out of range. */
export function nth(n: IPNet, index: bigint): bigint | undefined {
  const size = sizeOf(n);
  const i = index < 0n ? size + index : index;
  if (i < 0n || i >= size) return undefined;
  return networkOf(n) + i;
}

export function isPrivate(n: IPNet): boolean {
  const ranges = n.version === 4 ? ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '192.0.0.0/24', '198.18.0.0/15', '169.254.0.0/16', '127.0.0.0/8'] : ['fc00::/7', 'fe80::/10', '::1/128'];
  return ranges.some((r) => contains(parseNet(r)!, n));
}

export function contains(outer: IPNet, inner: IPNet): boolean {
  if (outer.version !== inner.version || inner.prefix < outer.prefix) return false;
  return (inner.ip & netmask(outer)) === networkOf(outer);
}
