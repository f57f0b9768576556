// `tsible lab up|status|down`: argv → the lab api, printing the nodes and where the inventory is.
import * as path from 'path';
import { formatError, TsibleError, ExitCode } from '../errors';
import { labDown, labStatus, labUp } from '../lab/lab';
import { barProgress, lineProgress } from '../testing/images/progress';
import type { CliDeps } from './main';
import { countFlag, parseFlags, SubcommandUsageError } from './subcommand-args';

export const LAB_HELP = `usage: tsible lab up [--etcd N] [--masters N] [--workers N] [--ssh] [--name NAME] [--image IMAGE]
       tsible lab status [--name NAME]
       tsible lab down [--name NAME]

The posts' cluster as systemd containers on one Docker network (default: 1 etcd node,
1 master, 2 workers), with an inventory in inventories/NAME/hosts.yml (groups etcd,
k8s_controller, k8s_worker and their parent k8s) reached with the docker connection.

  up        create the nodes (or keep those running), write the inventory
  status    show each node: container, state, address, systemd state
  down      remove the nodes, their network and volumes, the inventory and the lab's keys

options:
  --etcd N, --masters N, --workers N   how many nodes of each kind
  --ssh            run sshd in each node; the inventory then uses SSH with a generated key
                   and the nodes' host keys in a known_hosts file
  --name NAME      the lab's name (default: lab); containers are tsible-NAME-<node>
  --image IMAGE    the nodes' image (default: tsible/debian:12, built when missing)
`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}

export async function labMain(argv: string[], deps: CliDeps): Promise<number> {
  const { stdout, stderr } = deps;
  const [action, ...rest] = argv;
  try {
    const flags = parseFlags(rest, { values: ['etcd', 'masters', 'workers', 'name', 'image'], switches: ['ssh'] });
    if (!action || action === '-h' || action === '--help' || flags.switches.has('help')) {
      stdout.write(LAB_HELP);
      return 0;
    }
    if (flags.positional.length) throw new SubcommandUsageError(`unexpected argument '${flags.positional[0]}'`);
    const common = { projectDir: deps.cwd, name: flags.values.name, log: (l: string) => stderr.write(`${l}\n`) };
    if (action === 'up') {
      const progress = stderr.isTTY ? () => barProgress(process.stderr) : () => lineProgress(common.log);
      const r = await labUp({
        ...common,
        progress,
        ssh: flags.switches.has('ssh'),
        image: flags.values.image,
        size: { etcd: countFlag(flags, 'etcd'), masters: countFlag(flags, 'masters'), workers: countFlag(flags, 'workers') },
      });
      stdout.write(table([['NODE', 'GROUP', 'CONTAINER', 'ADDRESS'], ...r.hosts.map((h) => [h.node.name, h.node.group, h.container, h.address ?? ''])]));
      const inv = path.relative(deps.cwd, path.dirname(r.inventoryFile)) || '.';
      stdout.write(`inventory: ${path.relative(deps.cwd, r.inventoryFile)} (${r.ssh ? 'ssh' : 'docker connection'}); try: tsible -i ${inv} PLAYBOOK\n`);
      return 0;
    }
    if (action === 'status') {
      const rows = await labStatus(common);
      if (!rows.length) {
        stdout.write(`no lab '${common.name ?? 'lab'}' here (tsible lab up creates it)\n`);
        return 0;
      }
      stdout.write(table([['NODE', 'GROUP', 'CONTAINER', 'STATE', 'ADDRESS', 'SYSTEMD'], ...rows.map((r) => [r.name, r.group, r.container, r.state, r.address ?? '', r.systemd ?? ''])]));
      return rows.every((r) => r.state === 'running') ? 0 : ExitCode.ERROR;
    }
    if (action === 'down') {
      await labDown(common);
      stdout.write(`lab '${common.name ?? 'lab'}' removed\n`);
      return 0;
    }
    throw new SubcommandUsageError(`unknown lab command '${action}' (up, status or down)`);
  } catch (e) {
    if (e instanceof SubcommandUsageError) {
      stderr.write(`${LAB_HELP.split('\n\n')[0]}\ntsible lab: error: ${e.message}\n`);
      return 2;
    }
    stderr.write(`ERROR! ${e instanceof TsibleError ? formatError(e) : e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof TsibleError ? e.exitCode : ExitCode.ERROR;
  }
}
