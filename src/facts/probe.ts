// The one sh script that gathers raw fact material on the target, and the splitter
// that turns its output back into named sections for the TypeScript parsers.
import { DEVICES_PROBE } from './parse-devices';
import { LOCAL_FACTS_PROBE } from './parse-local';
import { PYTHON_PROBE } from './parse-python';

/** Marker printed before each section; chosen so no real file content collides. */
export const SECTION_MARK = '@@TSIBLE_FACT_SECTION@@';

export type Sections = Map<string, string>;

/** Each probe is a sh snippet whose stdout becomes one section. Snippets never fail the script. */
const PROBES: Record<string, string> = {
  uname: 'uname -s; uname -r; uname -v; uname -m; uname -n; getconf LONG_BIT 2>/dev/null || echo',
  fqdn: 'h=$(uname -n); a=$(getent ahosts "$h" 2>/dev/null | awk \'NR==1{print $1}\'); [ -n "$a" ] && getent hosts "$a" 2>/dev/null | head -n1',
  os_release: 'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null',
  lsb_release: 'command -v lsb_release >/dev/null 2>&1 && lsb_release -a 2>/dev/null',
  lsb_file: 'cat /etc/lsb-release 2>/dev/null',
  debian_version: 'cat /etc/debian_version 2>/dev/null',
  machine_id: 'cat /etc/machine-id 2>/dev/null || cat /var/lib/dbus/machine-id 2>/dev/null',
  cmdline: 'cat /proc/cmdline 2>/dev/null',
  caps: 'command -v capsh >/dev/null 2>&1 && capsh --print 2>/dev/null | grep "^Current:"',
  env: 'env',
  user: 'id -un; id -u; id -g; id -ru; id -rg; getent passwd "$(id -un)" 2>/dev/null || grep "^$(id -un):" /etc/passwd',
  date: "date '+%Y|%m|%d|%H|%M|%S|%N|%Z|%z|%A|%w|%W|%s'; date -u '+%Y-%m-%dT%H:%M:%S|%Y%m%dT%H%M%S'; date -d \"$(date +%Y)-01-01\" +%Z 2>/dev/null; date -d \"$(date +%Y)-07-01\" +%Z 2>/dev/null",
  dns: 'cat /etc/resolv.conf 2>/dev/null',
  fips: 'cat /proc/sys/crypto/fips_enabled 2>/dev/null',
  apparmor: '[ -d /sys/kernel/security/apparmor ] && echo enabled || echo disabled',
  selinux: 'command -v getenforce >/dev/null 2>&1 && getenforce 2>/dev/null',
  service_mgr:
    'cat /proc/1/comm 2>/dev/null || echo; readlink /sbin/init 2>/dev/null || echo; for p in /run/systemd/system /dev/.run/systemd /dev/.systemd; do [ -e "$p" ] && echo "systemd-dir"; done; ' +
    '[ -L /sbin/init ] && case "$(readlink -f /sbin/init)" in */systemd) echo systemd-offline;; esac; ' +
    '[ -x /sbin/openrc ] && echo openrc; command -v initctl >/dev/null 2>&1 && [ -d /etc/init ] && echo upstart; [ -d /etc/init.d ] && echo initd; true',
  pkg_mgr:
    'for b in /usr/bin/apt-get /usr/bin/dnf /usr/bin/yum /usr/bin/zypper /usr/bin/pacman /sbin/apk /usr/bin/emerge /usr/bin/xbps-install /usr/sbin/pkg /usr/bin/swupd /usr/bin/rpm-ostree /usr/bin/microdnf; do [ -x "$b" ] && echo "$b"; done; true',
  chroot: 'stat -c "%d:%i" / /proc/1/root/. 2>/dev/null',
  ssh_keys: 'for f in /etc/ssh/ssh_host_*_key.pub; do [ -r "$f" ] && echo "$f $(cat "$f")"; done; true',
  iscsi: 'grep "^InitiatorName=" /etc/iscsi/initiatorname.iscsi 2>/dev/null',
  nvme: 'cat /etc/nvme/hostnqn 2>/dev/null',
  cpuinfo: 'cat /proc/cpuinfo 2>/dev/null; echo "@@nproc $(nproc 2>/dev/null)"',
  meminfo: 'cat /proc/meminfo 2>/dev/null',
  // gather_timeout bounds each mount's size lookup (a hung network mount), not the whole probe
  mounts:
    'cat /proc/mounts 2>/dev/null; echo "@@statvfs"; to=; command -v timeout >/dev/null 2>&1 && to="timeout ${TSIBLE_GATHER_TIMEOUT:-10}"; ' +
    'awk \'{print $2}\' /proc/mounts 2>/dev/null | while read -r m; do ' +
    'm=$(printf "%b" "$m"); s=$($to stat -f -c "%S %s %b %f %a %c %d" "$m" 2>/dev/null) && printf "%s\\t%s\\n" "$m" "$s"; done; ' +
    'echo "@@uuids"; ls -l /dev/disk/by-uuid 2>/dev/null | awk \'NF>=11{print $9, $11}\'; true',
  dmi:
    'for f in bios_date bios_vendor bios_version board_asset_tag board_name board_serial board_vendor board_version chassis_asset_tag chassis_serial chassis_type chassis_vendor chassis_version product_name product_serial product_uuid product_version sys_vendor; do ' +
    'if [ -r /sys/devices/virtual/dmi/id/$f ]; then printf "%s=%s\\n" $f "$(cat /sys/devices/virtual/dmi/id/$f 2>/dev/null)"; fi; done; true',
  devices: DEVICES_PROBE,
  python: PYTHON_PROBE,
  local: LOCAL_FACTS_PROBE,
  uptime: 'cat /proc/uptime 2>/dev/null; cat /proc/loadavg 2>/dev/null',
  lvm: 'command -v vgs >/dev/null 2>&1 && echo present || echo absent',
  net_addr: 'ip -o addr show 2>/dev/null',
  net_route4: 'ip -4 route get 8.8.8.8 2>/dev/null',
  net_route6: 'ip -6 route get 2404:6800:400a:800::1012 2>/dev/null',
  net_sys:
    'for n in $(ls -U /sys/class/net 2>/dev/null); do d=/sys/class/net/$n; ' +
    'printf "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\\n" "$n" "$(cat $d/address 2>/dev/null)" "$(cat $d/mtu 2>/dev/null)" "$(cat $d/flags 2>/dev/null)" ' +
    '"$(cat $d/type 2>/dev/null)" "$(cat $d/operstate 2>/dev/null)" "$(readlink $d/device 2>/dev/null)" "$(cat $d/speed 2>/dev/null || echo NONE)" ' +
    '"$([ -d $d/bridge ] && echo bridge)$([ -d $d/bonding ] && echo bonding)$([ -d $d/wireless ] && echo wireless)" "$(readlink $d/device/driver/module 2>/dev/null)"; done; true',
  virt:
    'for p in /.dockerenv /.dockerinit /run/.containerenv /proc/vz /proc/bc /proc/xen /proc/xen/capabilities /dev/kvm /proc/sys/kernel/vserver /proc/self/status; do [ -e "$p" ] && echo "exists $p"; done; ' +
    'cat /proc/1/cgroup 2>/dev/null | sed "s/^/cgroup /"; tr "\\0" "\\n" < /proc/1/environ 2>/dev/null | grep "^container=" | sed "s/^/env /"; cat /run/systemd/container 2>/dev/null | sed "s/^/sdcontainer /"; ' +
    'grep -E "^(VxID|envID)" /proc/self/status 2>/dev/null | sed "s/^/status /"; cat /proc/xen/capabilities 2>/dev/null | sed "s/^/xencap /"; ' +
    'command -v systemd-detect-virt >/dev/null 2>&1 && { echo "sdv $(systemd-detect-virt --container 2>/dev/null)"; echo "sdvvm $(systemd-detect-virt --vm 2>/dev/null)"; }; ' +
    'cat /sys/devices/virtual/dmi/id/product_name 2>/dev/null | sed "s/^/product /"; cat /sys/devices/virtual/dmi/id/sys_vendor 2>/dev/null | sed "s/^/vendor /"; ' +
    'cat /sys/devices/virtual/dmi/id/bios_vendor 2>/dev/null | sed "s/^/bios /"; grep -m1 -E "^flags" /proc/cpuinfo 2>/dev/null | grep -qw hypervisor && echo "cpuflag hypervisor"; true',
};

/** Values some probes read from shell variables (set at the top of the script). */
export interface ProbeParams {
  /** Seconds each slow per-item lookup (a mount's size) may take. */
  gatherTimeout?: number;
  /** Directory of local facts (*.fact files) for the `local` section. */
  factPath?: string;
  /** ansible_python_interpreter when set (else python3 is looked up on PATH). */
  python?: string;
}

/** Builds the probe script for the given sections (section names are keys of PROBES). */
export function buildProbeScript(sections: Iterable<string>, params: ProbeParams = {}): string {
  const parts: string[] = ['exec 2>/dev/null', 'LC_ALL=C; export LC_ALL'];
  if (params.gatherTimeout !== undefined) parts.push(`TSIBLE_GATHER_TIMEOUT=${Math.max(1, Math.floor(params.gatherTimeout))}`);
  if (params.factPath !== undefined) parts.push(`TSIBLE_FACT_PATH=${shQuote(params.factPath)}`);
  if (params.python !== undefined) parts.push(`TSIBLE_PYTHON=${shQuote(params.python)}`);
  for (const name of new Set(sections)) {
    const snippet = PROBES[name];
    if (snippet === undefined) continue;
    parts.push(`echo '${SECTION_MARK} ${name}'`, `( ${snippet} )`);
  }
  parts.push('exit 0');
  return parts.join('\n') + '\n';
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

export function knownSections(): string[] {
  return Object.keys(PROBES);
}

/** Splits probe output into sections (trailing newline of each removed). */
export function splitSections(stdout: string): Sections {
  const out: Sections = new Map();
  let current: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (current !== undefined) out.set(current, lines.join('\n').replace(/\n+$/, ''));
  };
  for (const line of stdout.split('\n')) {
    if (line.startsWith(SECTION_MARK + ' ')) {
      flush();
      current = line.slice(SECTION_MARK.length + 1).trim();
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return out;
}
