// Readers for the values of Molecule's docker platform keys, each accepting the shapes
// scenarios write (string or list, dict or "host:ip" list...) and naming the key when wrong.
import { TsibleError } from '../../../errors';
import { shSplit } from '../../../connection/quote';
import type { Platform } from '../types';

function bad(p: Platform, key: string, expected: string): TsibleError {
  return new TsibleError('DRIVER', `platform '${p.name}': '${key}' must be ${expected} (got ${JSON.stringify(p[key])})`);
}

function scalar(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False'; // as Molecule's Python would print it
  return String(v);
}

export function stringList(p: Platform, key: string): string[] {
  const v = p[key];
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (Array.isArray(v) && v.every((x) => ['string', 'number'].includes(typeof x))) return v.map(String);
  throw bad(p, key, 'a list of strings');
}

/** A dict, or a list of "k<sep>v" strings, or Python's repr of a dict (Molecule's docs show that for etc_hosts). */
export function stringDict(p: Platform, key: string, sep = '='): Record<string, string> {
  let v = p[key];
  if (v === undefined || v === null || v === '') return {};
  if (typeof v === 'string' && v.trim().startsWith('{')) {
    try {
      v = JSON.parse(v.replace(/'/g, '"')) as unknown;
    } catch {
      throw bad(p, key, 'a mapping');
    }
  }
  if (Array.isArray(v)) {
    const out: Record<string, string> = {};
    for (const item of v) {
      const s = String(item);
      const i = s.indexOf(sep);
      if (i <= 0) throw bad(p, key, `a mapping or a list of "name${sep}value"`);
      out[s.slice(0, i)] = s.slice(i + 1);
    }
    return out;
  }
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, x === null ? '' : scalar(x)]));
  }
  throw bad(p, key, 'a mapping');
}

export function bool(p: Platform, key: string, dflt: boolean): boolean {
  const v = p[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|yes|on|1)$/i.test(v)) return true;
  if (typeof v === 'string' && /^(false|no|off|0|)$/i.test(v)) return false;
  throw bad(p, key, 'a boolean');
}

export function optionalString(p: Platform, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw bad(p, key, 'a string');
}

/** `command`/`entrypoint`: a string is split as a shell would, a list is used as it is; "" means unset. */
export function argv(p: Platform, key: string): string[] | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return shSplit(v);
  if (Array.isArray(v)) return v.map(String);
  throw bad(p, key, 'a string or a list');
}

export interface PortBinding {
  containerPort: string; // "80/tcp"
  hostIp?: string;
  hostPort?: string;
}

/** "[ip:][hostPort:]containerPort[/proto]" as docker run -p reads it. */
export function publishedPorts(p: Platform): PortBinding[] {
  return stringList(p, 'published_ports').map((spec) => {
    const [addr, proto = 'tcp'] = spec.split('/') as [string, string?];
    const parts = addr.split(':');
    const containerPort = `${parts.pop()}/${proto}`;
    if (!/^\d+(-\d+)?\/(tcp|udp|sctp)$/.test(containerPort)) throw bad(p, 'published_ports', 'a list of "[ip:][host_port:]port[/proto]"');
    const hostPort = parts.pop();
    const hostIp = parts.length ? parts.join(':') : undefined;
    return { containerPort, hostPort: hostPort || undefined, hostIp };
  });
}

export function exposedPorts(p: Platform): string[] {
  return stringList(p, 'exposed_ports').map((s) => (s.includes('/') ? s : `${s}/tcp`));
}

export interface NetworkRef {
  name: string;
  aliases: string[];
  ipv4Address?: string;
}

export function networks(p: Platform): NetworkRef[] {
  const v = p.networks;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(p, 'networks', 'a list of {name: ...}');
  return v.map((n) => {
    if (typeof n === 'string') return { name: n, aliases: [] };
    if (n && typeof n === 'object' && typeof (n as { name?: unknown }).name === 'string') {
      const o = n as { name: string; aliases?: unknown; ipv4_address?: unknown };
      const aliases = Array.isArray(o.aliases) ? o.aliases.map(String) : [];
      return { name: o.name, aliases, ipv4Address: typeof o.ipv4_address === 'string' ? o.ipv4_address : undefined };
    }
    throw bad(p, 'networks', 'a list of {name: ...}');
  });
}

export function ulimits(p: Platform): Array<{ Name: string; Soft: number; Hard: number }> {
  return stringList(p, 'ulimits').map((s) => {
    const [name, soft, hard] = s.split(':');
    if (!name || soft === undefined || !/^-?\d+$/.test(soft) || (hard !== undefined && !/^-?\d+$/.test(hard))) {
      throw bad(p, 'ulimits', 'a list of "name:soft[:hard]"');
    }
    return { Name: name, Soft: Number(soft), Hard: Number(hard ?? soft) };
  });
}

export function devices(p: Platform): Array<{ PathOnHost: string; PathInContainer: string; CgroupPermissions: string }> {
  return stringList(p, 'devices').map((s) => {
    const [host, inContainer, perms] = s.split(':') as [string, string?, string?];
    return { PathOnHost: host, PathInContainer: inContainer || host, CgroupPermissions: perms || 'rwm' };
  });
}
