// Path arguments expanded on the target as AnsibleModule does for type=path (expandvars, then
// expanduser): "$HOME/.ssh" and "~/x" mean the target user's, read with one exec when needed.
import { shQuote } from '../connection/quote';
import type { Connection } from '../connection/types';
import type { ArgSpec } from '../modules/types';

/** Path arguments an action resolves on the controller (unless its remote_src is set). */
const CONTROLLER_PATHS: Record<string, { args: string[]; unlessRemoteSrc?: boolean }> = {
  copy: { args: ['src'], unlessRemoteSrc: true },
  template: { args: ['src'] },
  script: { args: ['_raw_params', 'cmd'] },
  fetch: { args: ['dest'] },
  unarchive: { args: ['src'], unlessRemoteSrc: true },
  assemble: { args: ['src'], unlessRemoteSrc: true },
  include_vars: { args: ['file', 'dir', '_raw_params'] },
};

const VAR_RE = /\$(\w+)|\$\{(\w+)\}/g;

function needsExpansion(v: unknown): v is string {
  return typeof v === 'string' && (v.includes('$') || v.startsWith('~'));
}

/** Names of path arguments to expand on the target for this module. */
function targetPathArgs(module: string, spec: ArgSpec, args: Record<string, unknown>): string[] {
  const local = CONTROLLER_PATHS[module];
  const skip = local && !(local.unlessRemoteSrc && args.remote_src) ? local.args : [];
  return Object.entries(spec)
    .filter(([name, def]) => (def.type === 'path' || (def.type === 'list' && def.elements === 'path')) && !skip.includes(name))
    .map(([name]) => name);
}

/** Expands path arguments in place; no exec when nothing needs it. */
export async function expandTargetPaths(conn: () => Connection, module: string, spec: ArgSpec, args: Record<string, unknown>): Promise<void> {
  const names = targetPathArgs(module, spec, args).filter((n) => {
    const v = args[n];
    return needsExpansion(v) || (Array.isArray(v) && v.some(needsExpansion));
  });
  if (!names.length) return;
  const values = names.flatMap((n) => (Array.isArray(args[n]) ? (args[n] as unknown[]) : [args[n]])).filter(needsExpansion);
  const vars = new Set<string>();
  const users = new Set<string>();
  for (const v of values) {
    for (const m of v.matchAll(VAR_RE)) vars.add(m[1] ?? m[2]!);
    const u = /^~([^/]*)/.exec(v);
    if (u) users.add(u[1]!);
  }
  vars.add('HOME');
  const script = [
    ...[...vars].map((n) => `[ -n "\${${n}+x}" ] && printf 'v %s=%s\\0' ${shQuote(n)} "\$${n}"`),
    ...[...users].filter(Boolean).map((u) => `h=$(getent passwd ${shQuote(u)} | cut -d: -f6) && [ -n "$h" ] && printf 'u %s=%s\\0' ${shQuote(u)} "$h"`),
    'exit 0',
  ].join('\n');
  const r = await conn().exec(script + '\n');
  const env = new Map<string, string>();
  const homes = new Map<string, string>();
  for (const rec of r.stdout.split('\0')) {
    const m = /^([vu]) ([^=]*)=([\s\S]*)$/.exec(rec);
    if (m) (m[1] === 'v' ? env : homes).set(m[2]!, m[3]!);
  }
  const expand = (v: string): string => {
    const withVars = v.replace(VAR_RE, (whole, a: string | undefined, b: string | undefined) => env.get((a ?? b)!) ?? whole);
    const u = /^~([^/]*)/.exec(withVars);
    if (!u) return withVars;
    const home = u[1] ? homes.get(u[1]) : env.get('HOME');
    return home === undefined ? withVars : home + withVars.slice(u[0].length);
  };
  for (const n of names) {
    const v = args[n];
    args[n] = Array.isArray(v) ? v.map((x) => (needsExpansion(x) ? expand(x) : x)) : expand(v as string);
  }
}
