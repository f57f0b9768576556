// Virtualization facts (type, role, guest and host technologies) from container markers,
// cgroups, DMI strings and /dev/kvm, following the order Ansible's Linux collector uses.
import type { Sections } from './probe';

type Facts = Record<string, unknown>;

const CONTAINER_TECHS = ['docker', 'lxc', 'podman', 'openvz', 'containerd'];

const VM_MARKERS: readonly [RegExp, string][] = [
  [/KVM|OpenStack|Bochs|QEMU/i, 'kvm'],
  [/VMware/i, 'VMware'],
  [/VirtualBox|innotek/i, 'virtualbox'],
  [/^Xen|HVM domU/i, 'xen'],
  [/Microsoft Corporation|Virtual Machine/i, 'VirtualPC'],
  [/Amazon EC2/i, 'amazon'],
  [/Google/i, 'kvm'],
  [/Parallels/i, 'parallels'],
  [/RHEV Hypervisor|oVirt/i, 'RHEV'],
];

export function virtualFacts(sections: Sections): Facts {
  const lines = (sections.get('virt') ?? '').split('\n');
  const exists = new Set(lines.filter((l) => l.startsWith('exists ')).map((l) => l.slice(7)));
  const valuesOf = (prefix: string): string[] => lines.filter((l) => l.startsWith(prefix + ' ')).map((l) => l.slice(prefix.length + 1));
  const guest = new Set<string>();
  const host = new Set<string>();
  let type: string | undefined;
  let role: string | undefined;
  const foundGuest = (tech: string, asType = tech): void => {
    guest.add(tech);
    if (type === undefined) {
      type = asType;
      role = 'guest';
    }
  };
  for (const cg of valuesOf('cgroup')) {
    if (/\/docker[/-]|docker\.service/.test(cg)) foundGuest('docker');
    else if (/\/lxc\/|machine\.slice\/machine-lxc/.test(cg)) foundGuest('lxc');
    else if (/\/system\.slice\/containerd\.service/.test(cg)) foundGuest('containerd');
  }
  for (const env of valuesOf('env')) {
    if (env === 'container=lxc') foundGuest('lxc');
    else if (env === 'container=podman') foundGuest('podman');
    else if (/^container=./.test(env)) foundGuest('container');
  }
  if (exists.has('/proc/vz') && !exists.has('/proc/bc')) foundGuest('openvz');
  const sdContainer = valuesOf('sdcontainer')[0]?.trim();
  if (sdContainer) foundGuest(sdContainer);
  if (exists.has('/.dockerenv') || exists.has('/.dockerinit')) foundGuest('docker');
  if (exists.has('/run/.containerenv')) foundGuest('podman');
  if ([...guest].some((t) => CONTAINER_TECHS.includes(t)) || sdContainer) guest.add('container');
  if (exists.has('/proc/xen')) {
    const isDom0 = valuesOf('xencap').some((c) => c.includes('control_d'));
    if (isDom0) {
      host.add('xen');
      if (type === undefined) (type = 'xen'), (role = 'host');
    } else foundGuest('xen');
  }
  const dmi = [...valuesOf('product'), ...valuesOf('vendor'), ...valuesOf('bios')];
  for (const text of dmi) {
    for (const [re, tech] of VM_MARKERS) {
      if (re.test(text)) {
        foundGuest(tech);
        break;
      }
    }
  }
  if (exists.has('/dev/kvm')) {
    host.add('kvm');
    if (type === undefined) (type = 'kvm'), (role = 'host');
  }
  return {
    virtualization_type: type ?? 'NA',
    virtualization_role: role ?? 'NA',
    virtualization_tech_guest: [...guest].sort(),
    virtualization_tech_host: [...host].sort(),
  };
}
