// Pure part of the systemd module: parsing `systemctl show`, and deciding from the probed
// unit state which systemctl actions a task needs (tested as data, no systemd required).

/** `systemctl show` output as a map; only Exec* values may span lines (`{ ... }`). */
export function parseSystemctlShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let key: string | undefined;
  let buffer: string[] = [];
  for (const line of text.split('\n')) {
    if (key !== undefined) {
      buffer.push(line);
      if (line.trimEnd().endsWith('}')) {
        out[key] = buffer.join('\n').trim();
        key = undefined;
      }
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const k = line.slice(0, eq);
    const v = line.slice(eq + 1);
    if (k.startsWith('Exec') && v.trimStart().startsWith('{') && !v.trimEnd().endsWith('}')) {
      key = k;
      buffer = [v];
    } else out[k] = v.trim();
  }
  if (key !== undefined) out[key] = buffer.join('\n').trim();
  return out;
}

export const requestWasIgnored = (out: string): boolean =>
  !out.includes('=') && (out.includes('ignoring request') || out.includes('ignoring command'));

export interface UnitProbe {
  showRc: number;
  showOut: string;
  showErr: string;
  /** `systemctl is-enabled UNIT -l` (lists links after the state) */
  enabledRc: number;
  enabledOut: string;
  /** `systemctl is-enabled UNIT`: the state word only. */
  stateOut: string;
  /** `systemctl list-unit-files UNIT` rc (fallback when show is unusable). */
  listRc: number;
  initScript: boolean;
  sysvEnabled: boolean;
}

export interface SystemdArgs {
  name: string | null;
  state: string | null;
  enabled: boolean | null;
  masked: boolean | null;
  scope: string;
}

export type PlanStep =
  | { kind: 'action'; action: string; failMsg: (out: string, err: string) => string; failWhenMissing?: boolean }
  | { kind: 'fail'; msg: string; extra?: Record<string, unknown> }
  | { kind: 'warn'; msg: string }
  | { kind: 'systemctl-error' };

export interface SystemdPlan {
  result: Record<string, unknown>;
  steps: PlanStep[];
  changed: boolean;
}

const ENABLED_STATES = ['enabled', 'enabled-runtime', 'linked', 'linked-runtime', 'masked', 'masked-runtime', 'static', 'indirect', 'disabled', 'generated', 'transient'];

/** Decides the actions for one unit; steps stop at the first 'fail'. */
export function planSystemd(args: SystemdArgs, probe: UnitProbe): SystemdPlan {
  const unit = args.name as string;
  const steps: PlanStep[] = [];
  let status: Record<string, string> = {};
  let isSystemd = false;
  let changed = false;
  const result: Record<string, unknown> = { name: unit, changed: false, status };
  const missing = (): PlanStep => ({ kind: 'fail', msg: `Could not find the requested service ${unit}: host` });
  if (probe.showRc === 0 && !requestWasIgnored(probe.showOut) && !requestWasIgnored(probe.showErr)) {
    if (probe.showOut) {
      status = parseSystemctlShow(probe.showOut);
      result.status = status;
      isSystemd = status.LoadState !== undefined && status.LoadState !== 'not-found';
      const isMasked = status.LoadState === 'masked';
      if (isSystemd && !isMasked && status.LoadError !== undefined) {
        steps.push({ kind: 'fail', msg: `Error loading unit file '${unit}': ${status.LoadError}` });
        return { result, steps, changed };
      }
    }
  } else if (ENABLED_STATES.includes(probe.stateOut.trim())) {
    isSystemd = true;
  } else if (probe.listRc === 0) {
    isSystemd = true;
  } else {
    steps.push({ kind: 'systemctl-error' });
    return { result, steps, changed };
  }
  const found = isSystemd || probe.initScript;
  if (probe.initScript && !isSystemd) {
    steps.push({ kind: 'warn', msg: `The service (${unit}) is actually an init script but the system is managed by systemd` });
  }
  if (args.masked !== null) {
    const masked = probe.stateOut.trim() === 'masked';
    if (masked !== args.masked) {
      changed = true;
      steps.push({ kind: 'action', action: args.masked ? 'mask' : 'unmask', failMsg: () => `Could not find the requested service ${unit}: host`, failWhenMissing: !found });
    }
  }
  if (args.enabled !== null) {
    if (!found) {
      steps.push(missing());
      return { result, steps, changed };
    }
    let enabled = false;
    const lines = probe.enabledOut.replace(/\n$/, '').split('\n');
    if (probe.enabledRc === 0) {
      enabled = !(lines.length === 1 && (lines[0] === 'indirect' || lines[0] === 'alias'));
    } else if (probe.enabledRc === 1) {
      enabled = args.scope === 'system' && probe.initScript && !probe.enabledOut.trim().endsWith('disabled') && probe.sysvEnabled;
    }
    result.enabled = enabled;
    if (enabled !== args.enabled) {
      changed = true;
      const action = args.enabled ? 'enable' : 'disable';
      steps.push({ kind: 'action', action, failMsg: (out, err) => `Unable to ${action} service ${unit}: ${out}${err}` });
      result.enabled = !enabled;
    }
  }
  if (args.state !== null) {
    if (!found) {
      steps.push(missing());
      return { result, steps, changed };
    }
    result.state = args.state;
    if (status.ActiveState !== undefined) {
      const running = ['active', 'activating'].includes(status.ActiveState);
      let action: string | undefined;
      if (args.state === 'started') action = running ? undefined : 'start';
      else if (args.state === 'stopped') action = running || status.ActiveState === 'deactivating' ? 'stop' : undefined;
      else {
        action = running ? args.state.slice(0, -2) : 'start';
        result.state = 'started';
      }
      if (action) {
        changed = true;
        const a = action;
        steps.push({ kind: 'action', action: a, failMsg: (_out, err) => `Unable to ${a} service ${unit}: ${err}` });
      }
    } else {
      steps.push({ kind: 'fail', msg: 'Service is in unknown state', extra: { status } });
    }
  }
  result.changed = changed;
  return { result, steps, changed };
}
