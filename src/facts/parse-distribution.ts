// Distribution, OS family and LSB facts from os-release / lsb_release / debian_version.
import type { Sections } from './probe';

type Facts = Record<string, unknown>;

/** Parses KEY=value lines with optional shell quotes (os-release, lsb-release). */
export function parseKeyValueFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
      value = value.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    }
    out[line.slice(0, eq).trim()] = value;
  }
  return out;
}

const OS_FAMILY: Record<string, string> = {
  Debian: 'Debian', Ubuntu: 'Debian', Raspbian: 'Debian', Kali: 'Debian', Linuxmint: 'Debian', Devuan: 'Debian', Pop: 'Debian', Neon: 'Debian',
  RedHat: 'RedHat', CentOS: 'RedHat', Fedora: 'RedHat', Rocky: 'RedHat', AlmaLinux: 'RedHat', OracleLinux: 'RedHat', Amazon: 'RedHat', Scientific: 'RedHat',
  SLES: 'Suse', openSUSE: 'Suse', 'openSUSE Leap': 'Suse', 'openSUSE Tumbleweed': 'Suse', SUSE: 'Suse',
  Archlinux: 'Archlinux', Manjaro: 'Archlinux', Alpine: 'Alpine', Gentoo: 'Gentoo', Void: 'Void', NixOS: 'NixOS',
};

/** Maps os-release ID to Ansible's distribution name. */
const ID_NAMES: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', raspbian: 'Raspbian', kali: 'Kali', linuxmint: 'Linuxmint', devuan: 'Devuan', pop: 'Pop!_OS',
  centos: 'CentOS', rhel: 'RedHat', fedora: 'Fedora', rocky: 'Rocky', almalinux: 'AlmaLinux', ol: 'OracleLinux', amzn: 'Amazon',
  sles: 'SLES', 'opensuse-leap': 'openSUSE Leap', 'opensuse-tumbleweed': 'openSUSE Tumbleweed', arch: 'Archlinux', manjaro: 'Manjaro',
  alpine: 'Alpine', gentoo: 'Gentoo', void: 'Void', nixos: 'NixOS',
};

export function distributionFacts(sections: Sections, system: string): Facts {
  const osr = parseKeyValueFile(sections.get('os_release') ?? '');
  const id = osr.ID ?? '';
  const distribution = ID_NAMES[id] ?? (osr.NAME ? osr.NAME.split(' ')[0] ?? system : system);
  let version = osr.VERSION_ID ?? '';
  let release = osr.VERSION_CODENAME ?? '';
  const debianVersion = (sections.get('debian_version') ?? '').trim();
  if (distribution === 'Debian') {
    // Ansible reports the point release from /etc/debian_version (12.11, not 12).
    if (/^\d+(\.\d+)*$/.test(debianVersion)) version = debianVersion;
    else if (debianVersion.includes('/sid')) release = release || 'sid';
  }
  if (!release && osr.VERSION) {
    const m = /\(([^)]+)\)/.exec(osr.VERSION);
    if (m?.[1]) release = m[1].split(' ')[0]?.toLowerCase() ?? '';
  }
  if (!release) release = 'NA';
  const parts = version.split('.');
  const facts: Facts = {
    distribution,
    distribution_version: version || 'NA',
    distribution_release: release,
    distribution_major_version: parts[0] || 'NA',
    os_family: OS_FAMILY[distribution] ?? distribution,
  };
  if (parts.length > 1 && parts[1]) facts.distribution_minor_version = parts[1];
  if (sections.get('os_release')) {
    facts.distribution_file_parsed = true;
    facts.distribution_file_path = '/etc/os-release';
    facts.distribution_file_variety = OS_FAMILY[distribution] === 'Debian' ? 'Debian' : distribution;
  }
  if (!sections.get('os_release')) {
    facts.distribution = system;
    facts.os_family = system;
  }
  return facts;
}

export function lsbFacts(sections: Sections): Facts {
  const lsb: Record<string, string> = {};
  const out = sections.get('lsb_release') ?? '';
  if (out) {
    for (const line of out.split('\n')) {
      const m = /^([^:]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      const key = { 'Distributor ID': 'id', Description: 'description', Release: 'release', Codename: 'codename' }[m[1]?.trim() ?? ''];
      if (key) lsb[key] = (m[2] ?? '').trim();
    }
  } else {
    const kv = parseKeyValueFile(sections.get('lsb_file') ?? '');
    if (kv.DISTRIB_ID) lsb.id = kv.DISTRIB_ID;
    if (kv.DISTRIB_RELEASE) lsb.release = kv.DISTRIB_RELEASE;
    if (kv.DISTRIB_DESCRIPTION) lsb.description = kv.DISTRIB_DESCRIPTION;
    if (kv.DISTRIB_CODENAME) lsb.codename = kv.DISTRIB_CODENAME;
  }
  if (lsb.release) lsb.major_release = lsb.release.split('.')[0] ?? '';
  return { lsb };
}
