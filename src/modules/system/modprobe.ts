// The modprobe module (community.general.modprobe): loads/unloads a kernel module and
// optionally keeps it in /etc/modules-load.d and its params in /etc/modprobe.d.
import { shJoin, shQuote } from '../../connection/quote';
import type { ModuleDef, ModuleResult } from '../types';

export const modprobeModule = {
  name: 'modprobe',
  fqcns: ['community.general.modprobe'],
  checkMode: true,
  spec: {
    name: { type: 'str', required: true },
    params: { type: 'str', default: '' },
    persistent: { type: 'str', default: 'disabled', choices: ['disabled', 'absent', 'present'] },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
  },
  async run(args, ctx): Promise<ModuleResult> {
    const name = args.name as string;
    const params = (args.params as string).trim();
    const result: ModuleResult = { changed: false, name, params, state: args.state };
    const norm = name.replace(/-/g, '_');
    const loadFile = `/etc/modules-load.d/${name}.conf`;
    const optFile = `/etc/modprobe.d/${name}.conf`;
    const probe = await ctx.conn.exec(
      [
        'command -v modprobe >/dev/null 2>&1 && echo HAVE',
        `awk '{print $1}' /proc/modules 2>/dev/null | grep -qx ${shQuote(norm)} && echo LOADED`,
        `[ -d /sys/module/${shQuote(norm)} ] && echo LOADED`,
        `grep -qx ${shQuote(name)} ${shQuote(loadFile)} 2>/dev/null && echo PERSIST`,
        `grep -qx ${shQuote(`options ${name} ${params}`)} ${shQuote(optFile)} 2>/dev/null && echo OPTS`,
        'echo "PATH=$PATH"',
        'exit 0',
      ].join('\n') + '\n',
    );
    const out = probe.stdout.split('\n');
    if (!out.includes('HAVE')) {
      const path = out.find((l) => l.startsWith('PATH='))?.slice(5) ?? '';
      return { failed: true, changed: false, msg: `Failed to find required executable "modprobe" in paths: ${path}` };
    }
    const loaded = out.includes('LOADED');
    const present = args.state === 'present';
    const cmds: string[] = [];
    if (present && !loaded) cmds.push(shJoin(['modprobe', name, ...params.split(/\s+/).filter(Boolean)]));
    if (!present && loaded) cmds.push(shJoin(['modprobe', '-r', name]));
    if (args.persistent === 'present') {
      if (!out.includes('PERSIST')) cmds.push(`mkdir -p /etc/modules-load.d && printf '%s\\n' ${shQuote(name)} > ${shQuote(loadFile)}`);
      if (params && !out.includes('OPTS')) cmds.push(`mkdir -p /etc/modprobe.d && printf '%s\\n' ${shQuote(`options ${name} ${params}`)} > ${shQuote(optFile)}`);
    } else if (args.persistent === 'absent') {
      if (out.includes('PERSIST')) cmds.push(shJoin(['rm', '-f', loadFile]));
      if (out.includes('OPTS')) cmds.push(shJoin(['rm', '-f', optFile]));
    }
    result.changed = cmds.length > 0;
    if (ctx.check || !cmds.length) return result;
    for (const cmd of cmds) {
      const r = await ctx.conn.exec(cmd + '\n');
      if (r.rc !== 0) return { ...result, failed: true, changed: false, msg: r.stderr.trim() || r.stdout.trim(), rc: r.rc, stdout: r.stdout, stderr: r.stderr };
    }
    return result;
  },
} satisfies ModuleDef;
