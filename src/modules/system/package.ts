// The generic package module: picks the package manager from the pkg_mgr fact (or a probe)
// and runs that module with the arguments it understands.
import { ArgumentError, validateArgs } from '../args';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { aptModule } from './apt';

async function pkgMgr(args: Record<string, unknown>, ctx: ModuleContext): Promise<string> {
  if (args.use !== 'auto') return args.use as string;
  const fact = ctx.facts.pkg_mgr;
  if (typeof fact === 'string' && fact) return fact;
  const r = await ctx.conn.exec(
    'for p in apt-get:apt dnf:dnf yum:yum zypper:zypper pacman:pacman apk:apk; do command -v "${p%%:*}" >/dev/null 2>&1 && { echo "${p#*:}"; exit 0; }; done; echo unknown\n',
  );
  return r.stdout.trim() || 'unknown';
}

export const packageModule = {
  name: 'package',
  checkMode: true,
  spec: {
    name: { type: 'str', required: true },
    state: { type: 'str', required: true },
    use: { type: 'str', default: 'auto' },
  },
  // Like Ansible's package action, every argument but `use` goes to the backend module,
  // which validates them (so state may be left out and apt options such as update_cache work).
  acceptsAnyArgs: true,
  async run(args, ctx): Promise<ModuleResult> {
    const { use = 'auto', ...rest } = args;
    const mgr = await pkgMgr({ use }, ctx);
    if (mgr !== 'apt') {
      return { failed: true, changed: false, msg: `Could not find a module for ${mgr}.` };
    }
    let aptArgs: Record<string, unknown>;
    try {
      aptArgs = validateArgs(aptModule.name, aptModule.spec, rest, aptModule.constraints);
    } catch (e) {
      if (e instanceof ArgumentError) return { failed: true, changed: false, msg: e.message };
      throw e;
    }
    return aptModule.run(aptArgs, ctx);
  },
} satisfies ModuleDef;
