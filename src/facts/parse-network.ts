// Network facts: interfaces (from /sys/class/net and `ip -o addr`), addresses and
// the default IPv4/IPv6 routes (from `ip route get`), shaped as Ansible's Linux collector.
import type { Sections } from './probe';

type Facts = Record<string, unknown>;
type Iface = Record<string, unknown>;

export function prefixToNetmask(prefix: number): string {
  const bits = prefix <= 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join('.');
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => ((acc << 8) | (parseInt(o, 10) & 255)) >>> 0, 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function ifaceFromSys(line: string): Iface | undefined {
  const [name = '', address = '', mtu = '', flags = '', type = '', operstate = '', device = '', speed = '', kind = '', module = ''] = line.split('|');
  if (!name) return undefined;
  const flagBits = parseInt(flags, 16) || 0;
  const iface: Iface = { device: name };
  if (address && address !== '00:00:00:00:00:00') iface.macaddress = address;
  if (mtu) iface.mtu = parseInt(mtu, 10);
  if (operstate) iface.active = operstate !== 'down';
  if (type === '1') iface.type = 'ether';
  else if (type === '772') iface.type = 'loopback';
  else if (type === '32') iface.type = 'infiniband';
  else iface.type = 'unknown';
  if (kind === 'bridge') iface.type = 'bridge';
  else if (kind === 'bonding') iface.type = 'bonding';
  if (module) iface.module = module.split('/').pop();
  if (device) iface.pciid = device.split('/').pop();
  const sp = parseInt(speed, 10);
  if (speed !== 'NONE' && !Number.isNaN(sp)) iface.speed = sp;
  if (flags) iface.promisc = (flagBits & 0x100) !== 0;
  return iface;
}

interface RouteInfo {
  interface?: string;
  address?: string;
  gateway?: string;
}

function parseRoute(text: string): RouteInfo {
  const words = text.split(/\s+/);
  const info: RouteInfo = {};
  for (let i = 0; i < words.length - 1; i++) {
    const next = words[i + 1] as string;
    if (words[i] === 'dev') info.interface = next;
    else if (words[i] === 'src') info.address = next;
    else if (words[i] === 'via') info.gateway = next;
  }
  return info;
}

export function networkFacts(sections: Sections): Facts {
  const ifaces = new Map<string, Iface>();
  for (const line of (sections.get('net_sys') ?? '').split('\n')) {
    const iface = ifaceFromSys(line);
    if (iface) ifaces.set(iface.device as string, iface);
  }
  const all4: string[] = [];
  const all6: string[] = [];
  const aliasOf = new Map<string, string>(); // address → label (eth0:1)
  for (const line of (sections.get('net_addr') ?? '').split('\n')) {
    const m = /^\d+:\s+(\S+)\s+(inet6?)\s+(\S+)(.*)$/.exec(line);
    if (!m) continue;
    const dev = (m[1] ?? '').replace(/@.*$/, '');
    const iface = ifaces.get(dev);
    if (!iface) continue;
    const [address = '', prefixStr = m[2] === 'inet' ? '32' : '128'] = (m[3] ?? '').split('/');
    const rest = (m[4] ?? '').replace(/\\.*$/, '').trim().split(/\s+/);
    const scope = rest[rest.indexOf('scope') + 1] ?? '';
    if (m[2] === 'inet') {
      const prefix = parseInt(prefixStr, 10);
      const netmask = prefixToNetmask(prefix);
      const network = intToIp((ipToInt(address) & ipToInt(netmask)) >>> 0);
      const brdIdx = rest.indexOf('brd');
      const broadcast = brdIdx >= 0 ? rest[brdIdx + 1] ?? '' : '';
      const entry = { address, broadcast, netmask, network, prefix: prefixStr };
      if (iface.ipv4 === undefined) iface.ipv4 = entry;
      else ((iface.ipv4_secondaries ??= []) as unknown[]).push(entry);
      const label = rest[rest.length - 1];
      if (label) aliasOf.set(address, label);
      if (!address.startsWith('127.')) all4.push(address);
    } else {
      ((iface.ipv6 ??= []) as unknown[]).push({ address, prefix: prefixStr, scope });
      if (address !== '::1') all6.push(address);
    }
  }
  const facts: Facts = {
    interfaces: [...ifaces.keys()],
    all_ipv4_addresses: all4,
    all_ipv6_addresses: all6,
    default_ipv4: defaultRoute(parseRoute(sections.get('net_route4') ?? ''), ifaces, 4, aliasOf),
    default_ipv6: defaultRoute(parseRoute(sections.get('net_route6') ?? ''), ifaces, 6, aliasOf),
  };
  for (const [name, iface] of ifaces) facts[name.replace(/[-:.]/g, '_')] = iface;
  return facts;
}

function defaultRoute(route: RouteInfo, ifaces: Map<string, Iface>, family: 4 | 6, aliasOf: Map<string, string>): Facts {
  if (!route.interface) return {};
  const out: Facts = { ...route };
  const iface = ifaces.get(route.interface);
  if (!iface) return out;
  if (family === 4) {
    const v4 = iface.ipv4 as Record<string, unknown> | undefined;
    const candidates = [v4, ...((iface.ipv4_secondaries as Record<string, unknown>[] | undefined) ?? [])];
    const match = candidates.find((c) => c && c.address === route.address) ?? v4;
    if (match) Object.assign(out, match);
    out.alias = aliasOf.get(String(out.address)) ?? route.interface;
  } else {
    const list = (iface.ipv6 as Record<string, unknown>[] | undefined) ?? [];
    const match = list.find((c) => c.address === route.address) ?? list[0];
    if (match) Object.assign(out, match);
  }
  for (const key of ['macaddress', 'mtu', 'type']) if (iface[key] !== undefined) out[key] = iface[key];
  return out;
}
