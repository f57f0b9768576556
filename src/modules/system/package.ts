// The generic package module: picks the package manager from the pkg_mgr fact (or a probe)
// and runs that module with the arguments it understands.
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
  async run(args, ctx): Promise<ModuleResult> {
    const mgr = await pkgMgr(args, ctx);
    if (mgr !== 'apt') {
      return { failed: true, changed: false, msg: `Could not find a module for ${mgr}.` };
    }
    const aptArgs: Record<string, unknown> = {};
    for (const [k, def] of Object.entries(aptModule.spec)) aptArgs[k] = 'default' in def ? def.default : null;
    // package passes name as given; apt splits comma lists like Ansible's list type.
    aptArgs.name = String(args.name).split(',').map((n) => n.trim()).filter(Boolean);
    aptArgs.state = args.state;
    return aptModule.run(aptArgs, ctx);
  },
} satisfies ModuleDef;
