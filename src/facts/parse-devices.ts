// Block device facts (ansible_devices, ansible_device_links) from /sys/block and /dev/disk:
// the sh probe that prints one record per device and partition, and its parser.

type Facts = Record<string, unknown>;

/** Prints `@dev NAME`, `@part NAME`, `key=value` lines (sysfs files), and `@link TYPE NAME TARGET` / `@master SLAVE BLOCK`. */
export const DEVICES_PROBE =
  'for d in /sys/block/*; do [ -e "$d" ] || continue; n=${d##*/}; echo "@dev $n"; r=$(readlink -f "$d"); echo "realpath=$r"; ' +
  'for k in vendor model sas_address sas_device_handle serial; do [ -r "$d/device/$k" ] && printf "device/%s=%s\\n" $k "$(cat "$d/device/$k" 2>/dev/null | tr "\\n" " ")"; done; ' +
  'for k in removable queue/discard_granularity queue/rotational queue/scheduler size queue/logical_block_size queue/hw_sector_size; do [ -r "$d/$k" ] && printf "%s=%s\\n" $k "$(cat "$d/$k" 2>/dev/null)"; done; ' +
  'for h in "$d"/holders/dm-*; do [ -e "$h" ] && echo "holder=${h##*/} $(cat "$h/dm/name" 2>/dev/null)"; done; ' +
  'for p in "$r"/*; do pn=${p##*/}; case "$pn" in "$n"*) [ -r "$p/start" ] || continue; echo "@part $pn"; ' +
  'for k in start size queue/logical_block_size queue/hw_sector_size; do [ -r "$p/$k" ] && printf "%s=%s\\n" $k "$(cat "$p/$k" 2>/dev/null)"; done; ' +
  'for h in "$p"/holders/dm-*; do [ -e "$h" ] && echo "holder=${h##*/} $(cat "$h/dm/name" 2>/dev/null)"; done;; esac; done; done; ' +
  'for t in by-id:ids by-uuid:uuids by-label:labels; do for l in /dev/disk/${t%%:*}/*; do [ -L "$l" ] && echo "@link ${t#*:} ${l##*/} $(readlink -f "$l")"; done; done; ' +
  'for s in /sys/block/*/slaves/*; do [ -e "$s" ] && b=${s%/slaves/*} && echo "@master ${s##*/} ${b##*/}"; done; true';

const SIZE_UNITS: [string, number][] = [['Y', 2 ** 80], ['Z', 2 ** 70], ['E', 2 ** 60], ['P', 2 ** 50], ['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]];

/** Ansible's bytes_to_human: '256.00 GB', '0.00 Bytes'. */
export function bytesToHuman(size: number): string {
  for (const [suffix, limit] of SIZE_UNITS) if (size >= limit) return `${(size / limit).toFixed(2)} ${suffix}B`;
  return `${size.toFixed(2)} Bytes`;
}

interface RawRecord {
  kind: 'dev' | 'part';
  name: string;
  values: Map<string, string>;
  holders: string[];
  parent?: RawRecord;
  parts: RawRecord[];
}

/** sysfs content as Ansible's get_file_content reads it: stripped, empty means absent. */
const content = (r: RawRecord, key: string): string | null => {
  const v = r.values.get(key)?.trim();
  return v ? v : null;
};

export function deviceFacts(text: string): Facts {
  const devices: RawRecord[] = [];
  const links: Record<string, Record<string, string[]>> = { ids: {}, uuids: {}, labels: {}, masters: {} };
  let dev: RawRecord | undefined;
  let cur: RawRecord | undefined;
  for (const line of text.split('\n')) {
    const m = /^@(dev|part|link|master) (.*)$/.exec(line);
    if (m) {
      const [kind, rest = ''] = [m[1], m[2]];
      if (kind === 'dev') {
        dev = cur = { kind: 'dev', name: rest, values: new Map(), holders: [], parts: [] };
        devices.push(dev);
      } else if (kind === 'part' && dev) {
        cur = { kind: 'part', name: rest, values: new Map(), holders: [], parts: [], parent: dev };
        dev.parts.push(cur);
      } else if (kind === 'link') {
        const [type = '', name = '', target = ''] = rest.split(' ');
        const base = target.split('/').pop() ?? '';
        ((links[type] ??= {})[base] ??= []).push(name);
      } else if (kind === 'master') {
        const [slave = '', block = ''] = rest.split(' ');
        (links.masters![slave] ??= []).push(block);
      }
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('holder=')) {
      const [folder = '', name = ''] = line.slice(7).split(' ');
      cur.holders.push(name || folder);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) cur.values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const linksOf = (name: string): Facts => Object.fromEntries(['ids', 'uuids', 'labels', 'masters'].map((t) => [t, links[t]?.[name] ?? []]));
  const sectorSize = (r: RawRecord): string => content(r, 'queue/logical_block_size') ?? content(r, 'queue/hw_sector_size') ?? '512';
  const out: Facts = {};
  for (const d of devices) {
    const fact: Facts = { virtual: 1, links: linksOf(d.name) };
    for (const key of ['vendor', 'model', 'sas_address', 'sas_device_handle']) fact[key] = content(d, `device/${key}`);
    const serial = content(d, 'device/serial');
    if (serial !== null) fact.serial = serial;
    fact.removable = content(d, 'removable');
    fact.support_discard = content(d, 'queue/discard_granularity');
    const partitions: Facts = {};
    for (const p of d.parts) {
      const sectors = content(p, 'size') ?? '0';
      const uuid = links.uuids?.[p.name]?.[0] ?? null;
      partitions[p.name] = {
        links: linksOf(p.name),
        start: content(p, 'start') ?? '0',
        sectors,
        sectorsize: sectorSize(p),
        size: bytesToHuman(Number(sectors) * 512),
        uuid,
        holders: p.holders,
      };
    }
    fact.partitions = partitions;
    fact.rotational = content(d, 'queue/rotational');
    const sched = /\[(.*)\]/.exec(content(d, 'queue/scheduler') ?? '');
    fact.scheduler_mode = sched ? sched[1] : '';
    const sectors = content(d, 'size') ?? 0;
    fact.sectors = sectors;
    fact.sectorsize = sectorSize(d);
    fact.size = bytesToHuman(Number(sectors) * 512);
    fact.host = '';
    fact.holders = d.holders;
    out[d.name] = fact;
  }
  const deviceLinks: Facts = {};
  for (const t of ['ids', 'uuids', 'labels', 'masters']) deviceLinks[t] = links[t] ?? {};
  return { devices: out, device_links: deviceLinks };
}
