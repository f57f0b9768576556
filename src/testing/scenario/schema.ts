// The keys molecule.yml may hold (Molecule's own schema plus its docker and podman drivers'
// platform keys), and the warnings for unknown ones, each naming the file, line and key path.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** A nested key schema: `true` accepts anything below, a map lists the known sub-keys. */
type KeySchema = true | { readonly [key: string]: KeySchema } | { readonly items: KeySchema };

const ANY = true as const;

const SEQUENCES = [
  'check_sequence', 'cleanup_sequence', 'converge_sequence', 'create_sequence', 'dependency_sequence',
  'destroy_sequence', 'idempotence_sequence', 'lint_sequence', 'prepare_sequence', 'side_effect_sequence',
  'syntax_sequence', 'test_sequence', 'verify_sequence',
] as const;

/** Platform keys of Molecule's core schema and of its docker and podman drivers. */
export const PLATFORM_KEYS: readonly string[] = [
  // core
  'name', 'box', 'cgroupns_mode', 'children', 'command', 'cpus', 'dockerfile', 'env', 'environment', 'groups',
  'hostname', 'image', 'interfaces', 'memory', 'network_mode', 'networks', 'pkg_extras', 'pre_build_image',
  'privileged', 'provider_options', 'provider_raw_config_args', 'registry', 'tmpfs', 'ulimits', 'volumes',
  // docker driver
  'buildargs', 'cacert_path', 'cache_from', 'capabilities', 'cert_path', 'command_handling', 'container_default_behavior',
  'devices', 'dns_servers', 'docker_host', 'docker_networks', 'etc_hosts', 'exposed_ports', 'force', 'force_kill',
  'keep_volumes', 'key_path', 'kill_signal', 'labels', 'links', 'memory_swap', 'mounts', 'networks_cli_compatible',
  'override_command', 'pid_mode', 'platform', 'published_ports', 'pull', 'purge_networks', 'restart_policy',
  'restart_retries', 'runtime', 'security_opts', 'shm_size', 'stop_signal', 'sysctls', 'tls_verify', 'tty', 'user',
  // podman driver
  'cgroup_manager', 'extra_opts', 'ip', 'network', 'rootless', 'storage_driver', 'storage_opt', 'systemd',
];

const PLAYBOOKS = { cleanup: ANY, create: ANY, converge: ANY, destroy: ANY, prepare: ANY, side_effect: ANY, verify: ANY };

const SCHEMA: KeySchema = {
  ansible: {
    cfg: ANY,
    env: ANY,
    executor: { backend: ANY, args: { ansible_playbook: ANY, ansible_navigator: ANY } },
    playbooks: { ...PLAYBOOKS, docker: ANY, podman: ANY, default: ANY, delegated: ANY },
  },
  dependency: { name: ANY, command: ANY, enabled: ANY, options: ANY, env: ANY },
  driver: {
    name: ANY,
    provider: { name: ANY },
    options: { managed: ANY, ansible_connection_options: ANY, login_cmd_template: ANY },
    ssh_connection_options: ANY,
    safe_files: ANY,
  },
  lint: ANY,
  log: ANY,
  platforms: { items: Object.fromEntries(PLATFORM_KEYS.map((k) => [k, ANY])) },
  prerun: ANY,
  provisioner: {
    name: ANY,
    ansible_args: ANY,
    config_options: ANY,
    connection_options: ANY,
    env: ANY,
    inventory: { hosts: ANY, host_vars: ANY, group_vars: ANY, links: ANY },
    log: ANY,
    options: ANY,
    // playbooks may be grouped by driver name (playbooks: {docker: {create: ...}})
    playbooks: { ...PLAYBOOKS, docker: ANY, podman: ANY, default: ANY, delegated: ANY },
    children: ANY,
  },
  role_name_check: ANY,
  scenario: { name: ANY, ...Object.fromEntries(SEQUENCES.map((s) => [s, ANY])) },
  shared_state: ANY,
  verifier: { name: ANY, enabled: ANY, options: ANY, env: ANY, directory: ANY, additional_files_or_dirs: ANY },
};

export interface UnknownKey {
  file: string;
  line: number;
  /** Dotted path of the key, e.g. platforms[0].imagee */
  path: string;
}

function walk(node: Node | null | undefined, schema: KeySchema, prefix: string, found: UnknownKey[], file: string, lines: LineCounter): void {
  if (schema === true || !node) return;
  if ('items' in schema && typeof schema.items === 'object') {
    if (!isSeq(node)) return;
    node.items.forEach((item, i) => walk(item as Node, schema.items, `${prefix}[${i}]`, found, file, lines));
    return;
  }
  if (!isMap(node)) return;
  const known = schema as { readonly [key: string]: KeySchema };
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const path = prefix ? `${prefix}.${key}` : key;
    const sub = Object.prototype.hasOwnProperty.call(known, key) ? known[key] : undefined;
    if (sub === undefined) {
      const line = keyNode?.range ? lines.linePos(keyNode.range[0]).line : 1;
      found.push({ file, line, path });
      continue;
    }
    walk(pair.value as Node, sub, path, found, file, lines);
  }
}

/** The keys of a molecule.yml text that no schema knows, in file order. */
export function unknownKeys(text: string, file: string): UnknownKey[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', lineCounter: lines, strict: false, uniqueKeys: false });
  const found: UnknownKey[] = [];
  walk(doc.contents as Node, SCHEMA, '', found, file, lines);
  return found;
}

export function unknownKeyWarning(k: UnknownKey): string {
  return `${k.file}:${k.line}: unknown key '${k.path}' (not a Molecule setting; it is ignored)`;
}
