// Hardware facts: processors, memory, mounts (with statvfs numbers), DMI, uptime, load.
import type { Sections } from './probe';
import { PyFloat } from '../template/pyvalues';
import { deviceFacts } from './parse-devices';

type Facts = Record<string, unknown>;

export function cpuFacts(text: string): Facts {
  const processor: string[] = [];
  const physicalIds = new Set<string>();
  const coresBySocket = new Map<string, number>();
  let siblings = 0;
  let cores = 0;
  let count = 0;
  let nproc = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('@@nproc ')) {
      nproc = parseInt(line.slice(8), 10) || 0;
      continue;
    }
    const m = /^([^:]+?)\s*:\s?(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1] ?? '';
    const value = m[2] ?? '';
    if (key === 'processor') {
      processor.push(value);
      count++;
    } else if (key === 'vendor_id' || key === 'model name' || key === 'Processor' || key === 'cpu model') processor.push(value);
    else if (key === 'physical id') physicalIds.add(value);
    else if (key === 'cpu cores') {
      cores = parseInt(value, 10) || 0;
      coresBySocket.set([...physicalIds].pop() ?? '0', cores);
    } else if (key === 'siblings') siblings = parseInt(value, 10) || 0;
  }
  const sockets = physicalIds.size || (count ? 1 : 0);
  const coresPerSocket = cores || 1;
  const threadsPerCore = siblings && cores ? Math.floor(siblings / cores) || 1 : 1;
  return {
    processor,
    processor_count: sockets,
    processor_cores: physicalIds.size ? coresPerSocket : 1,
    processor_threads_per_core: threadsPerCore,
    processor_vcpus: physicalIds.size ? threadsPerCore * coresPerSocket * sockets : count,
    processor_nproc: nproc || count,
  };
}

export function memoryFacts(text: string): Facts {
  const kb: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m?.[1] && m[2]) kb[m[1]] = parseInt(m[2], 10);
  }
  const mb = (k: string): number => Math.floor((kb[k] ?? 0) / 1024);
  const total = mb('MemTotal');
  const free = mb('MemFree');
  const nocacheFree = free + mb('Buffers') + mb('Cached');
  const swapTotal = mb('SwapTotal');
  const swapFree = mb('SwapFree');
  return {
    memtotal_mb: total,
    memfree_mb: free,
    swaptotal_mb: swapTotal,
    swapfree_mb: swapFree,
    memory_mb: {
      real: { total, used: total - free, free },
      nocache: { free: nocacheFree, used: total - nocacheFree },
      swap: { total: swapTotal, free: swapFree, used: swapTotal - swapFree, cached: mb('SwapCached') },
    },
  };
}

/** /proc/mounts escapes spaces and tabs as octal (\040). */
const unescapeMount = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function mountFacts(text: string): Facts {
  const [mountsPart = '', rest = ''] = text.split('\n@@statvfs');
  const [statPart = '', uuidPart = ''] = rest.split('\n@@uuids');
  const statByMount = new Map<string, number[]>();
  for (const line of statPart.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    statByMount.set(line.slice(0, tab), line.slice(tab + 1).split(' ').map((n) => parseInt(n, 10)));
  }
  const uuidByDevice = new Map<string, string>();
  for (const line of uuidPart.split('\n')) {
    const [uuid, target] = line.trim().split(' ');
    if (uuid && target) uuidByDevice.set('/dev/' + (target.split('/').pop() ?? ''), uuid);
  }
  const mounts: Facts[] = [];
  const seen = new Set<string>();
  for (const line of mountsPart.split('\n')) {
    const f = line.split(' ');
    if (f.length < 4) continue;
    const device = unescapeMount(f[0] ?? '');
    const mount = unescapeMount(f[1] ?? '');
    const fstype = f[2] ?? '';
    // Ansible keeps only real devices (paths, network shares), never pseudo filesystems.
    if ((!device.startsWith('/') && !device.startsWith('\\') && !device.includes(':/')) || fstype === 'none') continue;
    const key = `${device} ${mount}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const entry: Facts = { mount, device, fstype, options: f[3] ?? '' };
    const st = statByMount.get(mount);
    if (st && st.length >= 7) {
      const [frsize = 0, bsize = 0, blocks = 0, , bavail = 0, files = 0, ffree = 0] = st;
      Object.assign(entry, {
        size_total: frsize * blocks,
        size_available: frsize * bavail,
        block_size: bsize,
        block_total: blocks,
        block_available: bavail,
        block_used: blocks - bavail,
        inode_total: files,
        inode_available: ffree,
        inode_used: files - ffree,
      });
    }
    entry.uuid = uuidByDevice.get(device) ?? 'N/A';
    mounts.push(entry);
  }
  return { mounts };
}

const DMI_KEYS: Record<string, string> = {
  bios_date: 'bios_date', bios_vendor: 'bios_vendor', bios_version: 'bios_version', board_asset_tag: 'board_asset_tag',
  board_name: 'board_name', board_serial: 'board_serial', board_vendor: 'board_vendor', board_version: 'board_version',
  chassis_asset_tag: 'chassis_asset_tag', chassis_serial: 'chassis_serial', chassis_vendor: 'chassis_vendor',
  chassis_version: 'chassis_version', product_name: 'product_name', product_serial: 'product_serial',
  product_uuid: 'product_uuid', product_version: 'product_version', sys_vendor: 'system_vendor',
};

const FORM_FACTORS = ['Unknown', 'Other', 'Unknown', 'Desktop', 'Low Profile Desktop', 'Pizza Box', 'Mini Tower', 'Tower', 'Portable', 'Laptop', 'Notebook', 'Hand Held', 'Docking Station', 'All In One', 'Sub Notebook', 'Space-saving', 'Lunch Box', 'Main System Chassis', 'Expansion Chassis', 'Sub Chassis', 'Bus Expansion Chassis', 'Peripheral Chassis', 'RAID Chassis', 'Rack Mount Chassis', 'Sealed-case PC', 'Multi-system', 'CompactPCI', 'AdvancedTCA', 'Blade', 'Blade Enclosure', 'Tablet', 'Convertible', 'Detachable', 'IoT Gateway', 'Embedded PC', 'Mini PC', 'Stick PC'];

export function dmiFacts(text: string): Facts {
  const raw: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) raw[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  const facts: Facts = {};
  for (const [file, fact] of Object.entries(DMI_KEYS)) facts[fact] = raw[file] ?? 'NA';
  const chassis = raw.chassis_type;
  facts.form_factor = chassis === undefined ? 'NA' : FORM_FACTORS[parseInt(chassis, 10)] ?? 'unknown';
  return facts;
}

export function uptimeFacts(text: string): Facts {
  const [uptime = '', load = ''] = text.split('\n');
  const facts: Facts = {};
  const up = parseFloat(uptime.split(' ')[0] ?? '');
  if (!Number.isNaN(up)) facts.uptime_seconds = Math.floor(up);
  // Python floats: a load of exactly 8 is 8.0 (is float), not an integer
  const l = load.split(' ').slice(0, 3).map(parseFloat).map((x) => (Number.isInteger(x) ? new PyFloat(x) : x));
  if (l.length >= 3) facts.loadavg = { '1m': l[0], '5m': l[1], '15m': l[2] };
  return facts;
}

export function hardwareFacts(sections: Sections): Facts {
  return {
    ...cpuFacts(sections.get('cpuinfo') ?? ''),
    ...memoryFacts(sections.get('meminfo') ?? ''),
    ...mountFacts(sections.get('mounts') ?? ''),
    ...dmiFacts(sections.get('dmi') ?? ''),
    ...uptimeFacts(sections.get('uptime') ?? ''),
    lvm: 'N/A',
    ...deviceFacts(sections.get('devices') ?? ''),
  };
}
