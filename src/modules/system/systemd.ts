// The systemd / systemd_service module: probes a unit in one exec (show, is-enabled,
// init script), plans with planSystemd, then runs the needed systemctl actions in one more.
import { shJoin, shQuote } from '../../connection/quote';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { runSteps } from '../common';
import type { Step, StepResult } from '../common';
import { planSystemd, type PlanStep, type SystemdArgs, type UnitProbe } from './systemd-plan';

const MARK = '@@TSIBLE_SYSTEMD@@';

function systemctlArgv(args: Record<string, unknown>): string[] {
  const argv = ['systemctl'];
  if (args.scope !== 'system') argv.push(`--${args.scope as string}`);
  if (args.no_block) argv.push('--no-block');
  if (args.force) argv.push('--force');
  return argv;
}

/** Ansible sets XDG_RUNTIME_DIR when missing so --user scope reaches the user's manager. */
const ENV_PRELUDE = ': "${XDG_RUNTIME_DIR:=/run/user/$(id -u)}"; export XDG_RUNTIME_DIR\n';

export async function probeUnit(ctx: ModuleContext, systemctl: string[], unit: string): Promise<UnitProbe> {
  return parseUnitProbe((await ctx.conn.exec(unitProbeScript(systemctl, unit))).stdout);
}

/** The unit probe's sh: show (stdout and stderr), is-enabled, list-unit-files, init script. */
export function unitProbeScript(systemctl: string[], unit: string): string {
  const u = shQuote(unit);
  const sc = shJoin(systemctl);
  const script = [
    ENV_PRELUDE.trimEnd(),
    `_ef=$(mktemp); _o=$(${sc} show ${u} 2>"$_ef"); _rc=$?; _e=$(cat "$_ef"); rm -f "$_ef"`,
    `printf '%s show %s\\n%s\\n%s err\\n%s\\n' '${MARK}' "$_rc" "$_o" '${MARK}' "$_e"`,
    `_o=$(${sc} is-enabled ${u} -l 2>/dev/null); printf '%s enabled %s\\n%s\\n' '${MARK}' "$?" "$_o"`,
    `_o=$(${sc} is-enabled ${u} 2>/dev/null); printf '%s state\\n%s\\n' '${MARK}' "$_o"`,
    `${sc} list-unit-files ${u} >/dev/null 2>&1; printf '%s list %s\\n' '${MARK}' "$?"`,
    `[ -f /etc/init.d/${u} ] && printf '%s initd\\n' '${MARK}'`,
    `ls /etc/rc?.d/S??${u} >/dev/null 2>&1 && printf '%s sysv-enabled\\n' '${MARK}'`,
    'exit 0',
  ].join('\n');
  return script + '\n';
}

export function parseUnitProbe(stdout: string): UnitProbe {
  const probe: UnitProbe = { showRc: 1, showOut: '', showErr: '', enabledRc: 1, enabledOut: '', stateOut: '', listRc: 1, initScript: false, sysvEnabled: false };
  const chunks = stdout.split(MARK + ' ').slice(1);
  for (const chunk of chunks) {
    const nl = chunk.indexOf('\n');
    const head = (nl < 0 ? chunk : chunk.slice(0, nl)).split(' ');
    const body = nl < 0 ? '' : chunk.slice(nl + 1).replace(/\n$/, '');
    if (head[0] === 'show') {
      probe.showRc = parseInt(head[1] ?? '1', 10);
      probe.showOut = body;
    } else if (head[0] === 'err') probe.showErr = body;
    else if (head[0] === 'enabled') {
      probe.enabledRc = parseInt(head[1] ?? '1', 10);
      probe.enabledOut = body;
    } else if (head[0] === 'state') probe.stateOut = body;
    else if (head[0] === 'list') probe.listRc = parseInt(head[1] ?? '1', 10);
    else if (head[0] === 'initd') probe.initScript = true;
    else if (head[0] === 'sysv-enabled') probe.sysvEnabled = true;
  }
  return probe;
}

function lines(s: string): string[] {
  return s === '' ? [] : s.replace(/\n$/, '').split('\n');
}

/** `probed`: the unit probe a caller already ran (the service module's first exec). */
export async function runSystemd(args: Record<string, unknown>, ctx: ModuleContext, probed?: UnitProbe): Promise<ModuleResult> {
  const unit = args.name as string | null;
  if (unit !== null) {
    for (const glob of ['*', '?', '[']) {
      if (unit.includes(glob)) {
        return { failed: true, changed: false, msg: `This module does not currently support using glob patterns, found '${glob}' in service name: ${unit}` };
      }
    }
  }
  const systemctl = systemctlArgv(args);
  const exec = (argv: string[]) => ctx.conn.exec(ENV_PRELUDE + shJoin(argv) + '\n');
  // daemon-reload / daemon-reexec and the probe: one exec
  const pre = (['daemon_reload', 'daemon_reexec'] as const).filter((what) => args[what] && !ctx.check);
  const steps: Step[] = pre.map((what) => ({ script: ENV_PRELUDE + shJoin([...systemctl, what.replace('_', '-')]) }));
  if (unit !== null && !probed) steps.push({ script: unitProbeScript(systemctl, unit) });
  const ran = await runSteps(ctx.conn, steps);
  for (let i = 0; i < pre.length; i++) {
    const r = ran[i];
    const what = (pre[i] as string).replace('_', '-');
    if (r && r.rc !== 0) return { failed: true, changed: false, msg: `failure ${r.rc} during ${what}: ${r.stderr}` };
  }
  if (unit === null) return { name: null, changed: false, status: {} };
  const probe = probed ?? parseUnitProbe(ran[pre.length]?.stdout ?? '');
  const plan = planSystemd(args as unknown as SystemdArgs, probe);
  // consecutive actions run together in one exec, in order, up to the first fatal failure
  let batch: Extract<PlanStep, { kind: 'action' }>[] = [];
  const flush = async (): Promise<ModuleResult | null> => {
    const todo = batch;
    batch = [];
    if (!todo.length || ctx.check) return null;
    const fatal = (st: (typeof todo)[number]) => st.failWhenMissing === undefined || st.failWhenMissing;
    const results = await runSteps(ctx.conn, todo.map((st) => ({ script: ENV_PRELUDE + shJoin([...systemctl, st.action, unit]), stopOnFailure: fatal(st) })));
    for (let i = 0; i < results.length; i++) {
      const st = todo[i] as (typeof todo)[number];
      const r = results[i] as StepResult;
      // A failed mask/unmask only fails the task when the unit is unknown (Ansible's behaviour).
      if (r.rc !== 0 && fatal(st)) return { ...plan.result, failed: true, changed: false, msg: st.failMsg(r.stdout, r.stderr) };
    }
    return null;
  };
  for (const step of plan.steps) {
    if (step.kind === 'action') {
      batch.push(step);
      continue;
    }
    if (step.kind === 'warn') {
      ctx.warn(step.msg);
      continue;
    }
    const failed = await flush();
    if (failed) return failed;
    if (step.kind === 'fail') return { ...plan.result, failed: true, changed: false, msg: step.msg, ...step.extra };
    const r = await exec(systemctl);
    if (r.rc !== 0) {
      return {
        failed: true, changed: false, cmd: '/usr/bin/systemctl', msg: r.stderr.trimEnd(), rc: r.rc,
        stderr: r.stderr, stderr_lines: lines(r.stderr), stdout: r.stdout, stdout_lines: lines(r.stdout),
      };
    }
  }
  const failed = await flush();
  if (failed) return failed;
  return plan.result;
}

export const systemdSpec = {
  daemon_reexec: { type: 'bool', default: false, aliases: ['daemon-reexec'] },
  daemon_reload: { type: 'bool', default: false, aliases: ['daemon-reload'] },
  enabled: { type: 'bool' },
  force: { type: 'bool' },
  masked: { type: 'bool' },
  name: { type: 'str', aliases: ['service', 'unit'] },
  no_block: { type: 'bool', default: false },
  scope: { type: 'str', default: 'system', choices: ['system', 'user', 'global'] },
  state: { type: 'str', choices: ['reloaded', 'restarted', 'started', 'stopped'] },
} satisfies ModuleDef['spec'];

// Ansible lists required_one_of too, but its daemon_* defaults (false) always satisfy it.
const systemdConstraints = {
  requiredBy: { state: ['name'], enabled: ['name'], masked: ['name'] },
};

export const systemdModule = {
  name: 'systemd',
  checkMode: true,
  spec: systemdSpec,
  constraints: systemdConstraints,
  run: runSystemd,
} satisfies ModuleDef;

export const systemdServiceModule = { ...systemdModule, name: 'systemd_service' } satisfies ModuleDef;
