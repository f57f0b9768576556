// The service module: on systemd hosts it delegates to the systemd module (as Ansible's
// service action does); elsewhere it drives SysV init scripts and update-rc.d/chkconfig.
import { shJoin, shQuote } from '../../connection/quote';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { parseUnitProbe, runSystemd, unitProbeScript } from './systemd';
import type { UnitProbe } from './systemd-plan';

const SYSTEMD_ONLY_IGNORED = ['pattern', 'runlevel', 'sleep', 'arguments'];

/**
 * The service manager (use, the service_mgr fact, or a look at the target). The look also
 * probes the unit when systemd runs, so the task still costs one exec when nothing changes.
 */
async function serviceManager(args: Record<string, unknown>, ctx: ModuleContext): Promise<{ mgr: string; unit?: UnitProbe }> {
  if (args.use !== 'auto') return { mgr: args.use as string };
  const fact = ctx.facts.service_mgr;
  // a fact naming no service module (PID 1 is `timeout`, `dumb-init`...) falls back to the
  // generic service module, which looks at the host itself (as Ansible's service action)
  if (fact === 'systemd' || fact === 'sysvinit') return { mgr: fact };
  const r = await ctx.conn.exec(
    `if [ -d /run/systemd/system ]; then echo TSIBLE-MGR-systemd\n${unitProbeScript(['systemctl'], args.name as string)}else echo TSIBLE-MGR-other; fi\n`,
  );
  if (!r.stdout.startsWith('TSIBLE-MGR-systemd\n')) return { mgr: 'sysvinit' };
  return { mgr: 'systemd', unit: parseUnitProbe(r.stdout) };
}

interface SysvProbe {
  script?: string;
  running: boolean;
  enabled: boolean;
  tool: 'update-rc.d' | 'chkconfig' | 'none';
}

async function probeSysv(ctx: ModuleContext, name: string, pattern: string | null, args: string): Promise<SysvProbe> {
  const n = shQuote(name);
  const status = pattern !== null
    ? `pgrep -f -- ${shQuote(pattern)} >/dev/null 2>&1 && echo RUNNING`
    : `[ -n "$_s" ] && { "$_s" status ${args} >/dev/null 2>&1; [ $? -eq 0 ] && echo RUNNING; }`;
  const script = [
    `_s=; [ -x /etc/init.d/${n} ] && _s=/etc/init.d/${n}; [ -n "$_s" ] && echo "SCRIPT $_s"`,
    status,
    `ls /etc/rc[2345S].d/S*${n} >/dev/null 2>&1 && echo ENABLED`,
    'command -v update-rc.d >/dev/null 2>&1 && echo TOOL update-rc.d || { command -v chkconfig >/dev/null 2>&1 && echo TOOL chkconfig; }',
    'exit 0',
  ].join('\n');
  const out = (await ctx.conn.exec(script + '\n')).stdout.split('\n');
  const probe: SysvProbe = { running: out.includes('RUNNING'), enabled: out.includes('ENABLED'), tool: 'none' };
  for (const line of out) {
    if (line.startsWith('SCRIPT ')) probe.script = line.slice(7);
    if (line.startsWith('TOOL ')) probe.tool = line.slice(5) as SysvProbe['tool'];
  }
  return probe;
}

async function runSysv(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const name = args.name as string;
  const extra = (args.arguments as string | null) ?? '';
  const probe = await probeSysv(ctx, name, args.pattern as string | null, extra);
  if (!probe.script) return { failed: true, changed: false, msg: `Could not find the requested service ${name}: host` };
  const state = args.state as string | null;
  const enabled = args.enabled as boolean | null;
  const commands: string[] = [];
  if (enabled !== null && enabled !== probe.enabled) {
    if (probe.tool === 'update-rc.d') commands.push(enabled ? `update-rc.d ${shQuote(name)} defaults && update-rc.d ${shQuote(name)} enable` : `update-rc.d ${shQuote(name)} disable`);
    else if (probe.tool === 'chkconfig') commands.push(shJoin(['chkconfig', name, enabled ? 'on' : 'off']));
    else return { failed: true, changed: false, msg: 'no service or tool found for: ' + name };
  }
  const ctl = (action: string): string => `${shQuote(probe.script as string)} ${action} ${extra}`.trimEnd();
  if (state === 'started' && !probe.running) commands.push(ctl('start'));
  else if (state === 'stopped' && probe.running) commands.push(ctl('stop'));
  else if (state === 'reloaded') commands.push(probe.running ? ctl('reload') : ctl('start'));
  else if (state === 'restarted') {
    commands.push(ctl('stop') + ' || true');
    if (args.sleep !== null) commands.push(`sleep ${Number(args.sleep)}`);
    commands.push(ctl('start'));
  }
  if (ctx.check && commands.length) return { changed: true, msg: 'service state changed' };
  for (const cmd of commands) {
    const r = await ctx.conn.exec(cmd + '\n');
    if (r.rc !== 0) return { failed: true, changed: false, msg: (r.stderr || r.stdout).trimEnd(), name };
  }
  const result: ModuleResult = { changed: commands.length > 0, name };
  if (state !== null) result.state = state;
  if (enabled !== null) result.enabled = enabled;
  return result;
}

export const serviceModule = {
  name: 'service',
  checkMode: true,
  spec: {
    arguments: { type: 'str', aliases: ['args'] },
    enabled: { type: 'bool' },
    name: { type: 'str', required: true },
    pattern: { type: 'str' },
    runlevel: { type: 'str', default: 'default' },
    sleep: { type: 'int' },
    state: { type: 'str', choices: ['reloaded', 'restarted', 'started', 'stopped'] },
    use: { type: 'str', default: 'auto' },
  },
  constraints: { requiredOneOf: [['state', 'enabled']] },
  async run(args, ctx) {
    const { mgr, unit } = await serviceManager(args, ctx);
    if (mgr === 'systemd') {
      for (const k of SYSTEMD_ONLY_IGNORED) {
        if (args[k] !== null && !(k === 'runlevel' && args[k] === 'default')) ctx.warn(`Ignoring "${k}" as it is not used in "systemd"`);
      }
      return runSystemd(
        { name: args.name, state: args.state, enabled: args.enabled, masked: null, daemon_reload: false, daemon_reexec: false, scope: 'system', no_block: false, force: null },
        ctx,
        unit,
      );
    }
    return runSysv(args, ctx);
  },
} satisfies ModuleDef;
