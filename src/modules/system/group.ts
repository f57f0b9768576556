// The group module: creates, changes (gid) and removes local groups with groupadd/groupmod/groupdel.
import { shQuote } from '../../connection/quote';
import type { ModuleDef, ModuleResult } from '../types';
import { runArgv, runArgvThen } from './exec';

interface GroupInfo {
  name: string;
  gid: number;
}

/** sh printing the group's line from the local database (the `local` param) or NSS. */
function groupProbeScript(name: string, local: boolean): string {
  const n = shQuote(name);
  return local
    ? `awk -F: -v n=${n} '$1 == n {print; exit}' /etc/group\n`
    : `getent group ${n} 2>/dev/null || awk -F: -v n=${n} '$1 == n {print; exit}' /etc/group\n`;
}

function parseGroup(name: string, stdout: string): GroupInfo | undefined {
  const line = stdout.split('\n')[0] ?? '';
  const fields = line.split(':');
  if (fields.length < 3 || fields[0] !== name) return undefined;
  return { name, gid: parseInt(fields[2] ?? '', 10) };
}

async function probeGroup(conn: ModuleDefCtx['conn'], name: string, local: boolean): Promise<GroupInfo | undefined> {
  return parseGroup(name, (await conn.exec(groupProbeScript(name, local))).stdout);
}

type ModuleDefCtx = Parameters<ModuleDef['run']>[1];

export const groupModule = {
  name: 'group',
  checkMode: true,
  spec: {
    gid: { type: 'int' },
    local: { type: 'bool', default: false },
    name: { type: 'str', required: true },
    non_unique: { type: 'bool', default: false },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    system: { type: 'bool', default: false },
  },
  async run(args, ctx): Promise<ModuleResult> {
    const name = args.name as string;
    const gid = args.gid as number | null;
    const local = args.local as boolean;
    const [addCmd, modCmd, delCmd] = local ? ['lgroupadd', 'lgroupmod', 'lgroupdel'] : ['groupadd', 'groupmod', 'groupdel'];
    const current = await probeGroup(ctx.conn, name, local);
    if (args.state === 'absent') {
      if (!current) return { changed: false, name, state: 'absent' };
      if (ctx.check) return { changed: true };
      const r = await runArgv(ctx.conn, [delCmd, name]);
      if (r.rc !== 0) return { changed: false, failed: true, name, msg: r.stderr };
      return { changed: true, name, state: 'absent' };
    }
    if (!current) {
      if (ctx.check) return { changed: true };
      const argv = [addCmd];
      if (gid !== null) argv.push('-g', String(gid));
      if (gid !== null && args.non_unique) argv.push('-o');
      if (args.system) argv.push('-r');
      argv.push(name);
      const r = await runArgvThen(ctx.conn, argv, groupProbeScript(name, local));
      if (r.rc !== 0) return { changed: false, failed: true, name, msg: r.stderr };
      const created = parseGroup(name, r.probeOut);
      return { changed: true, gid: created?.gid ?? gid, name, state: 'present', system: args.system };
    }
    const needsGid = gid !== null && gid !== current.gid;
    if (needsGid && !ctx.check) {
      const argv = [modCmd, '-g', String(gid)];
      if (args.non_unique) argv.push('-o');
      argv.push(name);
      const r = await runArgv(ctx.conn, argv);
      if (r.rc !== 0) return { changed: false, failed: true, name, msg: r.stderr };
    }
    return { changed: needsGid, gid: needsGid && !ctx.check ? gid : current.gid, name, state: 'present', system: args.system };
  },
} satisfies ModuleDef;
