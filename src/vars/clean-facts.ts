// Which facts may not become top-level variables (Ansible's clean_facts): connection and become
// variables, interpreters, and keys reserved for results, so a module cannot steer later tasks.

/** Connection and become variables (Ansible's MAGIC_VARIABLE_MAPPING and COMMON_CONNECTION_VARS). */
const CONNECTION_VARS = new Set([
  'ansible_connection', 'ansible_module_compression', 'ansible_shell_type', 'ansible_shell_executable',
  'ansible_ssh_host', 'ansible_host', 'ansible_ssh_user', 'ansible_user', 'ansible_ssh_pass', 'ansible_password',
  'ansible_ssh_port', 'ansible_port', 'ansible_ssh_pipelining', 'ansible_pipelining', 'ansible_ssh_timeout',
  'ansible_timeout', 'ansible_ssh_private_key_file', 'ansible_private_key_file', 'ansible_network_os',
  'ansible_connection_user', 'ansible_ssh_executable', 'ansible_ssh_common_args', 'ansible_sftp_extra_args',
  'ansible_scp_extra_args', 'ansible_ssh_extra_args', 'ansible_ssh_transfer_method', 'ansible_docker_extra_args',
  'ansible_become', 'ansible_become_method', 'ansible_become_user', 'ansible_become_password', 'ansible_become_pass',
  'ansible_become_exe', 'ansible_become_flags',
]);

/** Result keys a fact may never set (RESTRICTED_RESULT_KEYS and INTERNAL_RESULT_KEYS). */
const RESERVED = new Set(['ansible_rsync_path', 'ansible_playbook_python', 'ansible_facts', 'add_host', 'add_group']);

/** Variables of Ansible's built-in connection plugins (local, paramiko_ssh, psrp, ssh, winrm);
 * container and VM bridges (…_bridge, …_gwbridge) are network facts and stay. */
const CONNECTION_PLUGIN_VAR = /^ansible_(local|paramiko_ssh|psrp|ssh|winrm)_/;

/** True when a fact named `key` is kept out of the top-level variables. */
export function isRestrictedFact(key: string): boolean {
  if (key.startsWith('ansible_ssh_host_key_')) return false;
  if (CONNECTION_VARS.has(key) || RESERVED.has(key) || key.startsWith('ansible_become_')) return true;
  if (CONNECTION_PLUGIN_VAR.test(key) && !key.endsWith('_bridge') && !key.endsWith('_gwbridge')) return true;
  return /^ansible_.*_interpreter$/.test(key);
}

/** The facts that become top-level variables: `facts` itself when nothing is restricted. */
export function cleanFacts(facts: Record<string, unknown>): Record<string, unknown> {
  // internal keys (_ansible_facts_gathered) stay under ansible_facts only (strip_internal_keys)
  const restricted = Object.keys(facts).filter((k) => isRestrictedFact(k) || k.startsWith('_ansible_'));
  if (!restricted.length) return facts;
  const out = { ...facts };
  for (const k of restricted) delete out[k];
  return out;
}
