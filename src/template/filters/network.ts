// The ansible.utils ipaddr family (ipaddr, ipv4, ipv6, ipmath, ipsubnet, nthhost,
// next/previous_nth_usable, network_in_usable/network, ipwrap) with netaddr semantics.
import { TemplateError } from '../../errors';
import type { FilterFn } from '../plugin-types';
import { pyStr, truthy } from '../pyvalues';
import { requireDefined } from './helpers';
import { broadcastOf, cidr, contains, formatIp, hostmask, IPNet, isPrivate, netmask, networkOf, nth, parseNet, sizeOf } from './ipnet';

type VType = 'address' | 'network';
interface Parsed {
  v: IPNet;
  vtype: VType;
  value: string;
}

const ipText = (n: IPNet, ip = n.ip) => formatIp(ip, n.version);
const asNet = (v: IPNet) => `${ipText(v)}/${v.prefix}`;
const hasBroadcast = (v: IPNet) => (v.version === 4 ? 32 : 128) - v.prefix > 1;

function parseValue(value: unknown, version: number): Parsed | undefined {
  if (!truthy(value) || value === true) return undefined;
  const s = pyStr(value);
  if (/^\d+$/.test(s)) {
    const n = BigInt(s);
    const v6 = version === 6 || n > 0xffffffffn;
    if (n >= 1n << 128n) return undefined;
    const v: IPNet = { version: v6 ? 6 : 4, ip: n, prefix: v6 ? 128 : 32, hasPrefix: true };
    return { v, vtype: 'address', value: asNet(v) };
  }
  const v = parseNet(s);
  if (!v) return undefined;
  return { v, vtype: s.includes('/') ? 'network' : 'address', value: s };
}

function firstLast(v: IPNet): [bigint, bigint] | undefined {
  const size = sizeOf(v);
  if (size === 2n) return [networkOf(v), broadcastOf(v)];
  if (size > 1n) return [networkOf(v) + 1n, broadcastOf(v) - 1n];
  return undefined;
}

function needNetwork(vtype: VType): void {
  if (vtype === 'address') throw new TemplateError('Not a network address');
}

type Query = (p: Parsed) => unknown;
const queries: Record<string, Query> = {
  '': ({ v, vtype }) => (vtype === 'address' ? ipText(v) : asNet(v)),
  address: ({ v }) => {
    if (sizeOf(v) === 1n || v.ip !== networkOf(v) || !hasBroadcast(v) || v.version === 6) return ipText(v);
    return null;
  },
  'address/prefix': ({ v }) => (sizeOf(v) > 2n && (v.ip === networkOf(v) || v.ip === broadcastOf(v)) ? false : asNet(v)),
  bool: () => true,
  broadcast: ({ v }) => (sizeOf(v) > 2n ? ipText(v, broadcastOf(v)) : null),
  cidr: ({ v }) => asNet(v),
  first_usable: ({ v, vtype }) => {
    needNetwork(vtype);
    const fl = firstLast(v);
    return fl ? ipText(v, fl[0]) : null;
  },
  last_usable: ({ v, vtype }) => {
    needNetwork(vtype);
    const fl = firstLast(v);
    return fl ? ipText(v, fl[1]) : null;
  },
  host: ({ v }) => (sizeOf(v) === 1n ? asNet(v) : v.ip !== networkOf(v) || !hasBroadcast(v) ? asNet(v) : null),
  hostmask: ({ v }) => ipText(v, hostmask(v)),
  int: ({ v, vtype }) => (vtype === 'address' ? Number(v.ip) : `${v.ip}/${v.prefix}`),
  'ip/prefix': ({ v }) => (sizeOf(v) === 2n || (sizeOf(v) > 1n && v.ip !== networkOf(v)) ? asNet(v) : null),
  ip_netmask: ({ v }) => (sizeOf(v) === 2n || (sizeOf(v) > 1n && v.ip !== networkOf(v)) ? `${ipText(v)} ${ipText(v, netmask(v))}` : null),
  ipv4: ({ v, value }) => {
    if (v.version === 4) return value;
    if (v.ip >> 32n === 0xffffn || v.ip >> 32n === 0n) return `${formatIp(v.ip & 0xffffffffn, 4)}/${v.prefix - 96}`;
    return false;
  },
  ipv6: ({ v, value }) => (v.version === 4 ? `::ffff:${formatIp(v.ip, 4)}/${v.prefix + 96}` : value),
  'link-local': ({ v, value }) => (contains(parseNet(v.version === 4 ? '169.254.0.0/16' : 'fe80::/10')!, { ...v, prefix: v.version === 4 ? 32 : 128 }) ? value : null),
  loopback: ({ v, value }) => (contains(parseNet(v.version === 4 ? '127.0.0.0/8' : '::1/128')!, { ...v, prefix: v.version === 4 ? 32 : 128 }) ? value : null),
  multicast: ({ v, value }) => (contains(parseNet(v.version === 4 ? '224.0.0.0/4' : 'ff00::/8')!, v) ? value : null),
  net: ({ v }) => (sizeOf(v) > 1n && v.ip === networkOf(v) ? cidr(v) : null),
  netmask: ({ v }) => ipText(v, netmask(v)),
  network: ({ v }) => ipText(v, networkOf(v)),
  'network/prefix': ({ v }) => cidr(v),
  network_netmask: ({ v }) => `${ipText(v, networkOf(v))} ${ipText(v, netmask(v))}`,
  network_wildcard: ({ v }) => `${ipText(v, networkOf(v))} ${ipText(v, hostmask(v))}`,
  next_usable: ({ v, vtype }) => {
    needNetwork(vtype);
    const fl = firstLast(v);
    return fl && v.ip + 1n >= fl[0] && v.ip + 1n <= fl[1] ? ipText(v, v.ip + 1n) : null;
  },
  previous_usable: ({ v, vtype }) => {
    needNetwork(vtype);
    const fl = firstLast(v);
    return fl && v.ip - 1n >= fl[0] && v.ip - 1n <= fl[1] ? ipText(v, v.ip - 1n) : null;
  },
  prefix: ({ v }) => v.prefix,
  private: ({ v, value }) => (isPrivate({ ...v, prefix: v.version === 4 ? 32 : 128 }) ? value : null),
  public: ({ v, value }) => (!isPrivate({ ...v, prefix: v.version === 4 ? 32 : 128 }) ? value : null),
  range_usable: ({ v, vtype }) => {
    needNetwork(vtype);
    const fl = firstLast(v);
    return fl ? `${ipText(v, fl[0])}-${ipText(v, fl[1])}` : null;
  },
  revdns: ({ v }) =>
    v.version === 4
      ? ipText(v).split('.').reverse().join('.') + '.in-addr.arpa.'
      : v.ip.toString(16).padStart(32, '0').split('').reverse().join('.') + '.ip6.arpa.',
  size: ({ v }) => Number(sizeOf(v)),
  size_usable: ({ v }) => (sizeOf(v) === 1n ? 0 : sizeOf(v) === 2n ? 2 : Number(sizeOf(v) - 2n)),
  subnet: ({ v }) => cidr(v),
  type: ({ v }) => (sizeOf(v) === 1n || v.ip !== networkOf(v) ? 'address' : 'network'),
  unicast: ({ v, value }) => (queries.multicast!({ v, vtype: 'address', value }) ? null : value),
  version: ({ v }) => v.version,
  wrap: ({ v, vtype, value }) => (v.version === 6 ? (vtype === 'address' ? `[${ipText(v)}]` : `[${ipText(v)}]/${v.prefix}`) : value),
};
for (const [alias, target] of [['ip', 'address'], ['lo', 'loopback'], ['network_id', 'network'], ['v4', 'ipv4'], ['v6', 'ipv6'], ['wildcard', 'hostmask'], ['gateway', 'address/prefix'], ['gw', 'address/prefix'], ['host/prefix', 'address/prefix'], ['hostnet', 'address/prefix'], ['router', 'address/prefix']] as const) {
  queries[alias] = queries[target]!;
}

/** ansible.utils.ipaddr(value, query, version). */
export function ipaddr(value: unknown, query: unknown = '', version = 0, alias = 'ipaddr'): unknown {
  requireDefined(value);
  if (Array.isArray(value)) return value.map((e) => ipaddr(e, pyStr(query), version, alias)).filter((x) => truthy(x));
  const parsed = parseValue(value, version);
  if (!parsed) return false;
  if (version && parsed.v.version !== version) return false;
  const q = pyStr(query ?? '');
  const fn = queries[q];
  if (fn) return fn(parsed);
  if (/^-?\d+(\.\d+)?$/.test(q)) {
    const { v, vtype } = parsed;
    if (sizeOf(v) === 1n) return vtype === 'address' ? ipText(v) : asNet(v);
    const ip = nth(v, BigInt(Math.trunc(Number(q))));
    return ip === undefined ? false : `${ipText(v, ip)}/${v.prefix}`;
  }
  const lookup = parseNet(q);
  if (lookup && q) return contains(lookup, parsed.v) ? parsed.value : null;
  throw new TemplateError(`${alias}: unknown filter type: ${q}`);
}

/** The value as a network (ipaddr 'cidr' for addresses, 'subnet' for networks). */
function asNetwork(value: unknown): IPNet | undefined {
  const t = ipaddr(value, 'type');
  if (!t) return undefined;
  return parseNet(pyStr(ipaddr(value, t === 'address' ? 'cidr' : 'subnet')));
}

const ipsubnet: FilterFn = (_ctx, value, args) => {
  const [queryArg = '', indexArg = null] = args;
  const vtype = ipaddr(value, 'type');
  if (!vtype) return false;
  const net = asNetwork(value)!;
  const width = net.version === 6 ? 128 : 32;
  const query = pyStr(queryArg);
  if (!query) return asNet(net);
  if (/^\d+$/.test(query)) {
    const q = Number(query);
    if (q < 0 || q > width) return false;
    const supernets = () => Array.from({ length: Math.max(0, net.prefix - q) }, (_, i) => ({ ...net, ip: networkOf({ ...net, prefix: q + i }), prefix: q + i }));
    if (indexArg === null) {
      if (vtype === 'address') return supernets()[0] ? cidr(supernets()[0]!) : false;
      if (q < net.prefix) throw new TemplateError(`Requested subnet size of ${q} is invalid`);
      return String(2n ** BigInt(q - net.prefix));
    }
    let index = Number(indexArg);
    if (vtype === 'address') {
      const list = supernets();
      const s = list[index < 0 ? list.length + index : index];
      if (!s) throw new TemplateError('list index out of range');
      return cidr(s);
    }
    const count = 2n ** BigInt(q - net.prefix);
    if (index < 0) index += Number(count);
    if (index < 0 || BigInt(index) >= count) return false;
    return `${ipText(net, networkOf(net) + (BigInt(index) << BigInt(width - q)))}/${q}`;
  }
  const outer = asNetwork(query);
  if (!outer) throw new TemplateError(`You must pass a valid subnet or IP address; ${query} is invalid`);
  if (!contains(outer, net)) throw new TemplateError(`${cidr(net)} is not in the subnet ${cidr(outer)}`);
  const rank = (net.ip & ((1n << BigInt(net.prefix - outer.prefix)) - 1n) << BigInt(width - net.prefix)) >> BigInt(width - net.prefix);
  return String(rank + 1n);
};

const ipmath: FilterFn = (_ctx, value, args) => {
  const s = pyStr(requireDefined(value));
  const v = parseNet(s);
  if (!v || s.includes('/')) throw new TemplateError(`You must pass a valid IP address; ${s} is invalid`);
  const amount = Number(args[0]);
  if (!Number.isInteger(amount)) throw new TemplateError(`You must pass an integer for arithmetic; ${pyStr(args[0])} is not a valid integer`);
  const result = v.ip + BigInt(amount);
  if (result < 0n || result >= 1n << BigInt(v.version === 4 ? 32 : 128)) throw new TemplateError('IP address out of range');
  return ipText(v, result);
};

const nthhost: FilterFn = (_ctx, value, args) => {
  const net = asNetwork(value);
  if (!net) return false;
  const n = Number(args[0]);
  if (!Number.isInteger(n)) throw new TemplateError(`You must pass a valid integer; ${pyStr(args[0])} is invalid`);
  const ip = sizeOf(net) > BigInt(n) ? nth(net, BigInt(n)) : undefined;
  return ip === undefined ? false : ipText(net, ip);
};

function nthUsable(sign: 1 | -1, name: string): FilterFn {
  return (_ctx, value, args) => {
    const t = ipaddr(value, 'type');
    if (t !== 'address' && t !== 'network') return false;
    const v = parseNet(pyStr(value));
    if (!v || !v.hasPrefix) throw new TemplateError(`${name}: value is not a network`);
    const fl = firstLast(v);
    if (!fl) return false;
    const target = v.ip + BigInt(sign * Number(args[0]));
    return target >= fl[0] && target <= fl[1] ? ipText(v, target) : null;
  };
}

const networkInUsable: FilterFn = (_ctx, value, args) => {
  const net = asNetwork(value);
  const test = parseNet(pyStr(requireDefined(args[0])));
  if (!net || !test) throw new TemplateError('You must pass a valid IP address or network');
  const fl = firstLast(net);
  if (!fl) return net.ip === test.ip;
  return test.version === net.version && networkOf(test) >= fl[0] && broadcastOf(test) <= fl[1];
};

export const networkFilters = {
  ipaddr: (_ctx, value, args, kwargs) => ipaddr(value, args[0] ?? kwargs.query ?? '', Number(args[1] ?? kwargs.version ?? 0)),
  ipv4: (_ctx, value, args, kwargs) => ipaddr(value, args[0] ?? kwargs.query ?? '', 4, 'ipv4'),
  ipv6: (_ctx, value, args, kwargs) => ipaddr(value, args[0] ?? kwargs.query ?? '', 6, 'ipv6'),
  ipwrap: (_ctx, value) => {
    const wrap = (x: unknown) => (typeof x === 'string' && ipaddr(x, 'version') === 6 ? ipaddr(x, 'wrap') : x);
    return Array.isArray(value) ? value.map(wrap) : wrap(requireDefined(value));
  },
  ipmath,
  ipsubnet,
  nthhost,
  next_nth_usable: nthUsable(1, 'next_nth_usable'),
  previous_nth_usable: nthUsable(-1, 'previous_nth_usable'),
  network_in_usable: networkInUsable,
  network_in_network: (_ctx, value, args) => {
    const net = asNetwork(value);
    const test = parseNet(pyStr(requireDefined(args[0])));
    return Boolean(net && test && contains(net, test));
  },
  ip4_hex: (_ctx, value, args) => {
    const v = parseNet(pyStr(value));
    if (!v || v.version !== 4) return false;
    const hex = v.ip.toString(16).padStart(8, '0');
    return hex.match(/../g)!.join(pyStr(args[0] ?? ''));
  },
} satisfies Record<string, FilterFn>;

