// Platform, user, environment, date/time, cmdline, dns and small "min" subset facts.
import { shSplit } from '../connection/quote';
import type { Sections } from './probe';

type Facts = Record<string, unknown>;

const lines = (s: string | undefined): string[] => (s ?? '').split('\n');

export function platformFacts(sections: Sections): Facts {
  const [system = '', kernel = '', kernelVersion = '', machine = '', nodename = '', bits = ''] = lines(sections.get('uname'));
  // Ansible's fqdn is Python's socket.getfqdn(): the reverse lookup of the hostname's
  // address, the first of its names holding a dot, else the canonical name.
  const hostEntry = (sections.get('fqdn') ?? '').trim().split(/\s+/).slice(1);
  const fqdn = hostEntry.find((n) => n.includes('.')) ?? hostEntry[0] ?? nodename;
  const facts: Facts = {
    system,
    kernel,
    kernel_version: kernelVersion,
    machine,
    architecture: machine,
    nodename,
    hostname: nodename.split('.')[0] ?? nodename,
    fqdn,
    domain: fqdn.split('.').slice(1).join('.'),
    userspace_architecture: machine === 'x86_64' && bits === '32' ? 'i386' : machine,
  };
  if (bits) facts.userspace_bits = bits;
  const machineId = (sections.get('machine_id') ?? '').trim();
  if (machineId) facts.machine_id = machineId;
  if (/^i[3-6]86$/.test(machine)) facts.architecture = 'i386';
  return facts;
}

export function cmdlineFacts(sections: Sections): Facts {
  const text = (sections.get('cmdline') ?? '').trim();
  if (!text) return {};
  let words: string[];
  try {
    words = shSplit(text);
  } catch {
    words = text.split(/\s+/);
  }
  const cmdline: Record<string, unknown> = {};
  const proc: Record<string, unknown> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    const value: unknown = eq < 0 ? true : word.slice(eq + 1);
    cmdline[key] = value;
    // proc_cmdline keeps every value of a repeated key as a list.
    if (key in proc) {
      const prev = proc[key];
      proc[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    } else {
      proc[key] = value;
    }
  }
  return { cmdline, proc_cmdline: proc };
}

export function envFacts(sections: Sections): Facts {
  const env: Record<string, string> = {};
  let last: string | undefined;
  for (const line of lines(sections.get('env'))) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1] !== undefined) {
      last = m[1];
      env[last] = m[2] ?? '';
    } else if (last !== undefined) {
      env[last] += '\n' + line; // a value spanning several lines
    }
  }
  delete env.LC_ALL; // set by the probe script itself, not by the target
  return { env };
}

export function userFacts(sections: Sections): Facts {
  const [name = '', uid = '', gid = '', ruid = '', rgid = '', pw = ''] = lines(sections.get('user'));
  const fields = pw.split(':');
  const facts: Facts = {
    user_id: name,
    user_uid: Number(fields[2] ?? uid),
    user_gid: Number(fields[3] ?? gid),
    user_gecos: fields[4] ?? '',
    user_dir: fields[5] ?? '',
    user_shell: fields[6] ?? '',
    real_user_id: Number(ruid),
    effective_user_id: Number(uid),
    real_group_id: Number(rgid),
    effective_group_id: Number(gid),
  };
  return facts;
}

export function dateTimeFacts(sections: Sections): Facts {
  const [local = '', utc = '', janTz = '', julTz = ''] = lines(sections.get('date'));
  const [year = '', month = '', day = '', hour = '', minute = '', second = '', nanos = '', tz = '', tzOffset = '', weekday = '', weekdayNumber = '', weeknumber = '', epoch = ''] = local.split('|');
  const [isoUtc = '', basicUtc = ''] = utc.split('|');
  const micro = nanos.padEnd(9, '0').slice(0, 6);
  const dst = janTz && julTz && janTz !== julTz ? julTz : tz;
  return {
    date_time: {
      year, month, weekday, weekday_number: weekdayNumber, weeknumber, day, hour, minute, second,
      epoch, epoch_int: epoch,
      date: `${year}-${month}-${day}`,
      time: `${hour}:${minute}:${second}`,
      iso8601_micro: `${isoUtc}.${micro}Z`,
      iso8601: `${isoUtc}Z`,
      iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micro}`,
      iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
      tz, tz_dst: dst, tz_offset: tzOffset,
    },
  };
  void basicUtc;
}

export function dnsFacts(sections: Sections): Facts {
  const dns: Record<string, unknown> = {};
  for (const raw of lines(sections.get('dns'))) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) ((dns.nameservers ??= []) as string[]).push(rest[0]);
    else if (key === 'domain' && rest[0]) dns.domain = rest[0];
    else if (key === 'search') dns.search = rest;
    else if (key === 'sortlist') dns.sortlist = rest;
    else if (key === 'options' && rest.length) {
      const opts = (dns.options ??= {}) as Record<string, unknown>;
      for (const o of rest) {
        const [k = '', v] = o.split(':');
        opts[k] = v ?? true;
      }
    }
  }
  return { dns };
}

export function serviceMgrFacts(sections: Sections, system: string): Facts {
  const [comm = '', initLink = '', ...rest] = lines(sections.get('service_mgr'));
  const has = (w: string): boolean => rest.includes(w);
  // PID 1's name decides, unless it is a generic init or a shell.
  let proc1: string | undefined = comm.trim() || initLink.trim() || undefined;
  if (proc1 === 'COMMAND') proc1 = undefined;
  if (proc1 !== undefined) proc1 = proc1.split('/').pop()?.trim();
  if (proc1 !== undefined && (proc1 === 'init' || proc1.endsWith('sh'))) proc1 = undefined;
  const proc1Map: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };
  if (proc1) return { service_mgr: proc1Map[proc1] ?? proc1 };
  if (system === 'Linux') {
    if (has('systemd-dir')) return { service_mgr: 'systemd' };
    if (has('upstart')) return { service_mgr: 'upstart' };
    if (has('openrc')) return { service_mgr: 'openrc' };
    if (has('systemd-offline')) return { service_mgr: 'systemd' };
    if (has('initd')) return { service_mgr: 'sysvinit' };
  }
  return { service_mgr: 'service' };
}

const PKG_MGRS: readonly [string, string][] = [
  ['/usr/bin/rpm-ostree', 'atomic_container'], ['/usr/bin/dnf', 'dnf'], ['/usr/bin/yum', 'yum'], ['/usr/bin/microdnf', 'dnf'],
  ['/usr/bin/apt-get', 'apt'], ['/usr/bin/zypper', 'zypper'], ['/usr/bin/pacman', 'pacman'], ['/sbin/apk', 'apk'],
  ['/usr/bin/emerge', 'portage'], ['/usr/bin/xbps-install', 'xbps'], ['/usr/sbin/pkg', 'pkgng'], ['/usr/bin/swupd', 'swupd'],
];

export function pkgMgrFacts(sections: Sections, osFamily: string): Facts {
  const present = new Set(lines(sections.get('pkg_mgr')));
  // On Debian-family hosts apt wins even if rpm tools are installed alongside.
  if (osFamily === 'Debian' && present.has('/usr/bin/apt-get')) return { pkg_mgr: 'apt' };
  for (const [bin, mgr] of PKG_MGRS) if (present.has(bin)) return { pkg_mgr: mgr };
  return { pkg_mgr: 'unknown' };
}

export function smallFacts(sections: Sections, wanted: Set<string>): Facts {
  const facts: Facts = {};
  if (wanted.has('fips')) facts.fips = (sections.get('fips') ?? '').trim() === '1';
  if (wanted.has('apparmor')) facts.apparmor = { status: (sections.get('apparmor') ?? '').trim() || 'disabled' };
  if (wanted.has('selinux')) {
    const mode = (sections.get('selinux') ?? '').trim().toLowerCase();
    facts.selinux = mode && mode !== 'disabled' ? { status: 'enabled', mode } : { status: 'disabled' };
  }
  const caps = (sections.get('caps') ?? '').trim();
  if (wanted.has('caps') && caps.startsWith('Current:')) {
    const value = caps.slice(caps.indexOf('=') + 1);
    facts.system_capabilities_enforced = caps.replace(/\s+/g, '') === 'Current:=ep' ? 'False' : 'True';
    facts.system_capabilities = facts.system_capabilities_enforced === 'False' ? [] : value.split(',').map((c) => c.trim());
  }
  if (wanted.has('chroot')) {
    const [root, init] = lines(sections.get('chroot'));
    facts.is_chroot = root !== undefined && init !== undefined && init !== '' ? root !== init : false;
  }
  if (wanted.has('ssh_pub_keys')) {
    for (const line of lines(sections.get('ssh_keys'))) {
      const m = /ssh_host_(\w+)_key\.pub (\S+) (\S+)/.exec(line);
      if (!m) continue;
      facts[`ssh_host_key_${m[1]}_public`] = m[3];
      facts[`ssh_host_key_${m[1]}_public_keytype`] = m[2];
    }
  }
  if (wanted.has('iscsi')) facts.iscsi_iqn = (sections.get('iscsi') ?? '').replace(/^InitiatorName=/, '').trim();
  if (wanted.has('nvme')) facts.hostnqn = (sections.get('nvme') ?? '').trim();
  if (wanted.has('fibre_channel_wwn')) facts.fibre_channel_wwn = [];
  return facts;
}
