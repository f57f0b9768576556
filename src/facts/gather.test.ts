// Facts gathered for real on this host, plus parser cases on captured probe output.
import { LocalConnection } from '../connection/local';
import { gatherFacts, resolveSubset, applyFilter, setupModule } from './index';
import { makeTestContext } from '../modules/testing';
import { networkFacts, prefixToNetmask } from './parse-network';
import { cpuFacts, memoryFacts, mountFacts, uptimeFacts } from './parse-hardware';
import { cmdlineFacts, serviceMgrFacts } from './parse-platform';
import { PyFloat } from '../template/pyvalues';
import { distributionFacts } from './parse-distribution';

const conn = new LocalConnection({ host: 'localhost' });

describe('gatherFacts on the local host', () => {
  test('all subsets: core facts exist with Ansible types', async () => {
    const f = await gatherFacts(conn, {});
    expect(f.system).toBe('Linux');
    expect(typeof f.hostname).toBe('string');
    expect(Number.isInteger(f.memtotal_mb)).toBe(true);
    expect(Number.isInteger(f.processor_vcpus)).toBe(true);
    expect(Array.isArray(f.interfaces)).toBe(true);
    expect(f.user_uid).toBe(process.getuid?.());
    expect(f.env).toHaveProperty('PATH');
    expect(f.module_setup).toBe(true);
    expect(f.gather_subset).toEqual(['all']);
    expect(Object.keys(f.date_time as object).sort()).toEqual([
      'date', 'day', 'epoch', 'epoch_int', 'hour', 'iso8601', 'iso8601_basic', 'iso8601_basic_short', 'iso8601_micro',
      'minute', 'month', 'second', 'time', 'tz', 'tz_dst', 'tz_offset', 'weekday', 'weekday_number', 'weeknumber', 'year',
    ]);
    expect(f.local).toEqual({});
    expect(Array.isArray(f.mounts)).toBe(true);
  });

  test('min subset leaves out hardware, network and virtual', async () => {
    const f = await gatherFacts(conn, { subset: ['min'] });
    expect(f.distribution).toBeDefined();
    expect(f.memtotal_mb).toBeUndefined();
    expect(f.interfaces).toBeUndefined();
    expect(f.virtualization_type).toBeUndefined();
  });

  test('filter keeps matching names with or without prefix', async () => {
    const f = await gatherFacts(conn, { subset: ['!all', 'hardware'], filter: ['ansible_distribution', '*_mb'] });
    expect(Object.keys(f).sort()).toEqual(['distribution', 'memfree_mb', 'memory_mb', 'memtotal_mb', 'swapfree_mb', 'swaptotal_mb']);
  });

  test('setup module returns ansible_facts and rejects bad subsets', async () => {
    const ctx = makeTestContext();
    const ok = await setupModule.run({ gather_subset: ['!all', 'dns', '!min'], filter: [], gather_timeout: 10, fact_path: null }, ctx);
    expect(Object.keys(ok.ansible_facts as object).sort()).toEqual(['ansible_dns', 'gather_subset', 'module_setup']);
    const bad = await setupModule.run({ gather_subset: ['foo'], filter: [], gather_timeout: 10, fact_path: null }, ctx);
    expect(bad.failed).toBe(true);
    expect(bad.msg).toMatch(/^Bad subset 'foo' given to Ansible\. gather_subset options allowed: all, all_ipv4_addresses/);
  });
});

describe('subset resolution', () => {
  test.each([
    [['all'], ['hardware', 'network', 'virtual', 'dns']],
    [['!all'], ['dns', 'platform']],
    [['network'], ['network', 'dns']],
    [['!hardware'], ['dns', 'platform']],
  ])('%j includes %j', (subset, expected) => {
    const got = resolveSubset(subset);
    for (const e of expected) expect(got.has(e)).toBe(true);
  });
  test('!all,!min,dns is only dns', () => expect([...resolveSubset(['!all', 'dns', '!min'])]).toEqual(['dns']));
  // negations alone start from "min" (ansible-core's get_collector_names), not from everything
  test('!hardware is min without hardware', () => {
    const got = resolveSubset(['!hardware']);
    expect(['hardware', 'network', 'virtual'].some((c) => got.has(c))).toBe(false);
  });
  test('a collector named outright survives its negation', () => expect(resolveSubset(['network', '!network']).has('network')).toBe(true));
  test('an empty subset is all', () => expect(resolveSubset([]).has('hardware')).toBe(true));
  test('fact ids map to their collector', () => expect(resolveSubset(['!all', 'kernel']).has('platform')).toBe(true));
  test('filter globs', () => expect(applyFilter({ a_b: 1, c: 2 }, ['a_*'])).toEqual({ a_b: 1 }));
});

describe('parsers on captured output', () => {
  test('network from ip/sys output', () => {
    const sections = new Map([
      ['net_sys', 'lo|00:00:00:00:00:00|65536|0x9|772|unknown||NONE||\neth0|02:fc:00:00:00:01|1400|0x1003|1|up|../../../virtio2|-1||'],
      ['net_addr', '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\   x\n4: eth0    inet6 fe80::1/64 scope link \\  x'],
      ['net_route4', '8.8.8.8 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0'],
      ['net_route6', ''],
    ]);
    const f = networkFacts(sections);
    expect(f.interfaces).toEqual(['lo', 'eth0']);
    expect(f.all_ipv4_addresses).toEqual(['192.0.2.2']);
    expect(f.all_ipv6_addresses).toEqual(['fe80::1']);
    expect(f.lo).toEqual({ device: 'lo', mtu: 65536, active: true, type: 'loopback', promisc: false,
      ipv4: { address: '127.0.0.1', broadcast: '', netmask: '255.0.0.0', network: '127.0.0.0', prefix: '8' } });
    expect(f.default_ipv4).toEqual({ address: '192.0.2.2', alias: 'eth0', broadcast: '192.0.2.255', gateway: '192.0.2.1',
      interface: 'eth0', macaddress: '02:fc:00:00:00:01', mtu: 1400, netmask: '255.255.255.0', network: '192.0.2.0', prefix: '24', type: 'ether' });
    expect(f.default_ipv6).toEqual({});
    expect((f.eth0 as Record<string, unknown>).speed).toBe(-1);
    expect(prefixToNetmask(20)).toBe('255.255.240.0');
  });

  test('cpu: 2 sockets x 4 cores x 2 threads', () => {
    const block = (i: number, phys: number): string => `processor\t: ${i}\nvendor_id\t: GenuineIntel\nmodel name\t: Xeon\nphysical id\t: ${phys}\nsiblings\t: 8\ncpu cores\t: 4\n`;
    const text = Array.from({ length: 16 }, (_, i) => block(i, i < 8 ? 0 : 1)).join('\n') + '\n@@nproc 16';
    const f = cpuFacts(text);
    expect(f).toMatchObject({ processor_count: 2, processor_cores: 4, processor_threads_per_core: 2, processor_vcpus: 16, processor_nproc: 16 });
    expect((f.processor as string[]).slice(0, 3)).toEqual(['0', 'GenuineIntel', 'Xeon']);
  });

  test('memory and mounts', () => {
    expect(memoryFacts('MemTotal: 2048000 kB\nMemFree: 1024000 kB\nBuffers: 1024 kB\nCached: 102400 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB')).toMatchObject({
      memtotal_mb: 2000, memfree_mb: 1000, memory_mb: { nocache: { free: 1101, used: 899 } },
    });
    const m = mountFacts('proc /proc proc rw 0 0\n/dev/sda1 /my\\040disk ext4 rw 0 0\n@@statvfs\n/my disk\t4096 4096 100 50 40 10 5\n@@uuids\nabcd ../../sda1');
    expect(m.mounts).toEqual([{ mount: '/my disk', device: '/dev/sda1', fstype: 'ext4', options: 'rw', size_total: 409600, size_available: 163840,
      block_size: 4096, block_total: 100, block_available: 40, block_used: 60, inode_total: 10, inode_available: 5, inode_used: 5, uuid: 'abcd' }]);
  });

  test('cmdline keeps repeated keys as lists in proc_cmdline', () => {
    const f = cmdlineFacts(new Map([['cmdline', 'console=tty0 console=ttyS0 quiet root=/dev/sda1']]));
    expect(f.cmdline).toEqual({ console: 'ttyS0', quiet: true, root: '/dev/sda1' });
    expect(f.proc_cmdline).toEqual({ console: ['tty0', 'ttyS0'], quiet: true, root: '/dev/sda1' });
  });

  test('service manager', () => {
    expect(serviceMgrFacts(new Map([['service_mgr', 'systemd\n/lib/systemd/systemd']]), 'Linux')).toEqual({ service_mgr: 'systemd' });
    expect(serviceMgrFacts(new Map([['service_mgr', 'sh\n\ninitd']]), 'Linux')).toEqual({ service_mgr: 'sysvinit' });
    expect(serviceMgrFacts(new Map([['service_mgr', 'bash\n\nsystemd-dir\ninitd']]), 'Linux')).toEqual({ service_mgr: 'systemd' });
  });

  test('ubuntu distribution', () => {
    const f = distributionFacts(new Map([['os_release', 'NAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\nID=ubuntu']]), 'Linux');
    expect(f).toMatchObject({ distribution: 'Ubuntu', distribution_version: '22.04', distribution_major_version: '22', distribution_release: 'jammy', os_family: 'Debian' });
  });
});

describe('uptime and load', () => {
  test('loadavg values are floats even when integral (Python prints 8.0)', () => {
    const f = uptimeFacts('123.45 99.0\n8.00 0.50 1.25 2/300 4000\n');
    expect(f.uptime_seconds).toBe(123);
    const load = f.loadavg as Record<string, unknown>;
    expect(load['1m']).toBeInstanceOf(PyFloat);
    expect(load['5m']).toBe(0.5);
  });
});
