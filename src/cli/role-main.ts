// `tsible role ROLE -i INVENTORY [--hosts PATTERN] [ansible-playbook options]`: runs one role
// as a one-play playbook written in memory (facts gathered, the role's defaults, dependencies
// and handlers), with a playbook run's output and exit codes.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'yaml';
import { loadYamlFile } from '../parsing/yaml';
import { findRoleDir, roleFile } from '../playbook/roles';
import { isDict } from '../template/pyvalues';
import { parseArgv, type RawArgs } from './args';
import type { CliDeps } from './main';
import { runPlaybookCommand } from './main';

export const ROLE_HELP = `usage: tsible role ROLE -i INVENTORY [--hosts PATTERN] [-l SUBSET] [-e EXTRA_VARS]
                   [-C] [-D] [-b] [-t TAGS] [other ansible-playbook options]

Runs one role without a playbook: a play on PATTERN with gather_facts on and ROLE (a name
found in ./roles or roles_path, or a role directory), with ansible-playbook's output and exit codes.

positional arguments:
  ROLE             the role's name or directory

options:
  --hosts PATTERN  the hosts to run the role on; by default the groups the role names
                   (a "Hosts: \`PATTERN\`" line in its README.md, or galaxy_info.hosts in
                   meta/main.yml), else all
  every other option is ansible-playbook's (tsible --help lists them)
`;

class RoleUsageError extends Error {}

interface RoleArgs {
  role: string;
  hosts?: string;
  /** ansible-playbook's options, parsed. */
  playbookArgs: RawArgs;
}

/** Takes --hosts out of argv; ROLE is what ansible-playbook's parser sees as the one positional. */
function parseRoleArgv(argv: readonly string[]): RoleArgs | 'help' {
  const rest: string[] = [];
  let hosts: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--hosts' || arg.startsWith('--hosts=')) {
      hosts = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (hosts === undefined || hosts === '') throw new RoleUsageError('argument --hosts: expected one argument');
      continue;
    }
    rest.push(arg);
  }
  const parsed = parseArgv(rest);
  if (parsed.kind === 'help') return 'help';
  if (parsed.kind === 'version') throw new RoleUsageError('--version is tsible\'s own option (tsible --version)');
  if (parsed.kind === 'error') throw new RoleUsageError(parsed.message.replace('arguments are required: playbook', 'arguments are required: ROLE'));
  const [role, ...extra] = parsed.args.playbooks;
  if (role === undefined) throw new RoleUsageError('the following arguments are required: ROLE');
  if (extra.length) throw new RoleUsageError(`unrecognized arguments: ${extra.join(' ')}`);
  return { role, hosts, playbookArgs: parsed.args };
}

/** The host pattern a role names for itself: README's "Hosts: `x`" line, else meta's galaxy_info.hosts. */
export function roleDefaultHosts(roleDir: string): string | undefined {
  const readme = path.join(roleDir, 'README.md');
  if (fs.existsSync(readme)) {
    const m = /^[\s>*-]*(?:\*\*)?hosts(?:\*\*)?\s*:\s*(?:\*\*)?\s*`([^`\n]+)`/im.exec(fs.readFileSync(readme, 'utf8'));
    if (m?.[1]) return m[1].trim();
  }
  const metaFile = roleFile(roleDir, 'meta');
  const meta = metaFile ? loadYamlFile(metaFile) : undefined;
  const hosts = isDict(meta) && isDict(meta.galaxy_info) ? meta.galaxy_info.hosts : undefined;
  if (typeof hosts === 'string' && hosts.trim() !== '') return hosts.trim();
  if (Array.isArray(hosts) && hosts.length) return hosts.map(String).join(':');
  return undefined;
}

/** The one-play playbook that runs the role. */
export function rolePlaybookText(roleRef: string, roleName: string, hosts: string): string {
  return yaml.stringify([{ name: `role ${roleName}`, hosts, gather_facts: true, roles: [{ role: roleRef }] }]);
}

export async function roleMain(argv: string[], deps: CliDeps): Promise<number> {
  let args: RoleArgs | 'help';
  try {
    args = parseRoleArgv(argv);
  } catch (e) {
    if (!(e instanceof RoleUsageError)) throw e;
    deps.stderr.write(`${ROLE_HELP.split('\n\n')[0]}\ntsible role: error: ${e.message}\n`);
    return 2;
  }
  if (args === 'help') {
    deps.stdout.write(ROLE_HELP);
    return 0;
  }
  const { role, hosts } = args;
  return runPlaybookCommand(args.playbookArgs, deps, (run) => {
    const asPath = role.includes('/') || role.startsWith('.');
    const roleDir = asPath ? path.resolve(deps.cwd, role) : findRoleDir(role, { playbookDir: deps.cwd, rolesPath: run.options.config.rolesPath });
    if (asPath) findRoleDir(roleDir, { playbookDir: deps.cwd, rolesPath: [] });
    const name = path.basename(roleDir);
    const file = path.join(deps.cwd, `${name}.role.yml`);
    run.options.playbooks = [file];
    run.options.inlinePlaybooks = { [file]: rolePlaybookText(asPath ? roleDir : role, name, hosts ?? roleDefaultHosts(roleDir) ?? 'all') };
  });
}
