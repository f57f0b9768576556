// Modules Ansible has but tsible does not implement (ansible.builtin ones, and modules of
// installed collections): a task using one loads, and fails only if it runs, naming the module.
// A name that is no Ansible module at all still fails at load time, as in Ansible.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ModuleDef } from './types';

/** ansible.builtin modules of ansible-core 2.14 (ansible-doc -t module -l ansible.builtin). */
const ANSIBLE_BUILTIN_MODULES = new Set([
  'add_host', 'apt', 'apt_key', 'apt_repository', 'assemble', 'assert', 'async_status', 'blockinfile', 'command', 'copy',
  'cron', 'debconf', 'debug', 'dnf', 'dpkg_selections', 'expect', 'fail', 'fetch', 'file', 'find', 'gather_facts',
  'get_url', 'getent', 'git', 'group', 'group_by', 'hostname', 'include', 'include_vars', 'iptables', 'known_hosts',
  'lineinfile', 'meta', 'package', 'package_facts', 'pause', 'ping', 'pip', 'raw', 'reboot', 'replace', 'rpm_key',
  'script', 'service', 'service_facts', 'set_fact', 'set_stats', 'setup', 'shell', 'slurp', 'stat', 'subversion',
  'systemd', 'systemd_service', 'sysvinit', 'tempfile', 'template', 'unarchive', 'uri', 'user', 'validate_argument_spec',
  'wait_for', 'wait_for_connection', 'yum', 'yum_repository',
]);

/** Where Ansible finds collections: ANSIBLE_COLLECTIONS_PATH(S), the user's and the system's, and ansible's own. */
function collectionRoots(env: NodeJS.ProcessEnv): string[] {
  const configured = env.ANSIBLE_COLLECTIONS_PATH ?? env.ANSIBLE_COLLECTIONS_PATHS;
  const home = env.HOME ?? os.homedir();
  const roots = configured ? configured.split(':') : [path.join(home, '.ansible/collections'), '/usr/share/ansible/collections'];
  roots.push('/usr/lib/python3/dist-packages', '/usr/local/lib/python3/dist-packages');
  return roots.filter(Boolean).map((r) => (path.basename(r) === 'ansible_collections' ? path.dirname(r) : r));
}

function collectionHasModule(fqcn: string, env: NodeJS.ProcessEnv): boolean {
  const parts = fqcn.split('.');
  if (parts.length < 3) return false;
  const [ns, coll, ...rest] = parts;
  const file = `${rest.join('/')}.py`;
  return collectionRoots(env).some((root) => fs.existsSync(path.join(root, 'ansible_collections', ns!, coll!, 'plugins', 'modules', file)));
}

function notImplemented(name: string): ModuleDef {
  return {
    name,
    spec: {},
    acceptsAnyArgs: true,
    checkMode: true,
    async run() {
      return {
        failed: true,
        changed: false,
        msg: `The module ${name} is an Ansible module that tsible does not implement (see the README, "Modules and Python plugins").`,
      };
    },
  };
}

export function ansibleOnlyModules(env: NodeJS.ProcessEnv = process.env): (name: string) => ModuleDef | undefined {
  return (name) => {
    const short = name.replace(/^ansible\.(builtin|legacy)\./, '');
    if (ANSIBLE_BUILTIN_MODULES.has(short)) return notImplemented(short);
    if (!name.startsWith('ansible.') && collectionHasModule(name, env)) return notImplemented(name);
    return undefined;
  };
}
