// gather_subset resolution (all/min/groups/collector names/fact ids, `!` negations)
// and the `filter` globs, with Ansible's error text for unknown subsets.

export const MIN_COLLECTORS = [
  'apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb', 'pkg_mgr',
  'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user',
] as const;

/** Collectors outside "min"; the groups hardware/network/virtual are collectors here too. */
export const EXTRA_COLLECTORS = ['hardware', 'network', 'virtual', 'chroot', 'fibre_channel_wwn', 'iscsi', 'nvme', 'ohai', 'facter'] as const;

/** Names accepted in gather_subset that stand for the collector providing them. */
const FACT_ID_ALIASES: Record<string, string> = {
  all_ipv4_addresses: 'network', all_ipv6_addresses: 'network', default_ipv4: 'network', default_ipv6: 'network', interfaces: 'network',
  architecture: 'platform', kernel: 'platform', kernel_version: 'platform', machine: 'platform', machine_id: 'platform', system: 'platform',
  devices: 'hardware', loadavg: 'hardware', mounts: 'hardware', processor: 'hardware', processor_cores: 'hardware', processor_count: 'hardware',
  distribution_major_version: 'distribution', distribution_release: 'distribution', distribution_version: 'distribution', os_family: 'distribution',
  effective_group_ids: 'user', effective_user_id: 'user', real_user_id: 'user', user_dir: 'user', user_gecos: 'user', user_gid: 'user',
  user_id: 'user', user_shell: 'user', user_uid: 'user', is_chroot: 'chroot', python_version: 'python',
  ssh_host_key_dsa_public: 'ssh_pub_keys', ssh_host_key_ecdsa_public: 'ssh_pub_keys', ssh_host_key_ed25519_public: 'ssh_pub_keys',
  ssh_host_key_rsa_public: 'ssh_pub_keys', ssh_host_pub_keys: 'ssh_pub_keys', system_capabilities: 'caps', system_capabilities_enforced: 'caps',
  virtualization_role: 'virtual', virtualization_tech_guest: 'virtual', virtualization_tech_host: 'virtual', virtualization_type: 'virtual',
};

const ALL_COLLECTORS: readonly string[] = [...MIN_COLLECTORS, ...EXTRA_COLLECTORS];

export class SubsetError extends Error {}

function allowedNames(): string[] {
  return ['all', ...ALL_COLLECTORS, ...Object.keys(FACT_ID_ALIASES)].filter((v, i, a) => a.indexOf(v) === i).sort();
}

function expand(name: string): string[] {
  if (name === 'all') return [...ALL_COLLECTORS];
  if (name === 'min') return [...MIN_COLLECTORS];
  if (ALL_COLLECTORS.includes(name)) return [name];
  const alias = FACT_ID_ALIASES[name];
  if (alias) return [alias];
  throw new SubsetError(`Bad subset '${name}' given to Ansible. gather_subset options allowed: ${allowedNames().join(', ')}`);
}

/** Resolves gather_subset to the set of collectors to run. "min" is always included unless negated. */
export function resolveSubset(subset: readonly string[]): Set<string> {
  const include = new Set<string>();
  const exclude = new Set<string>();
  let excludeMin = false;
  // collectors named outright: a negation never removes them
  const explicit = new Set<string>();
  for (const raw of subset) {
    const item = raw.trim();
    if (!item.startsWith('!')) {
      for (const c of expand(item)) {
        include.add(c);
        if (item !== 'all' && item !== 'min') explicit.add(c);
      }
      continue;
    }
    const name = item.slice(1);
    if (name === 'min') excludeMin = true;
    else if (name === 'all') for (const c of EXTRA_COLLECTORS) exclude.add(c);
    else for (const c of expand(name)) exclude.add(c);
  }
  // get_collector_names: "min" always starts the list, so negations alone leave the minimum
  // (less what they exclude); an empty subset means all
  if (!subset.length) for (const c of ALL_COLLECTORS) include.add(c);
  if (!excludeMin) for (const c of MIN_COLLECTORS) include.add(c);
  for (const c of exclude) if (!explicit.has(c)) include.delete(c);
  return include;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Keeps facts whose name (with or without the ansible_ prefix) matches one of the globs. */
export function applyFilter(facts: Record<string, unknown>, filters: readonly string[]): Record<string, unknown> {
  const patterns = filters.map((f) => f.trim()).filter(Boolean).map(globToRegExp);
  if (patterns.length === 0) return facts;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(facts)) {
    if (patterns.some((p) => p.test(key) || p.test(`ansible_${key}`))) out[key] = value;
  }
  return out;
}
