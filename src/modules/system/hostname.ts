// The hostname module: sets the running and persistent host name (hostnamectl on systemd,
// /etc/hostname + hostname(1) elsewhere) and returns the refreshed name facts.
import { shJoin, shQuote } from '../../connection/quote';
import { platformFacts } from '../../facts/parse-platform';
import { buildProbeScript, splitSections } from '../../facts/probe';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';

async function nameFacts(ctx: ModuleContext): Promise<Record<string, unknown>> {
  const r = await ctx.conn.exec(buildProbeScript(['uname', 'fqdn']));
  return platformFacts(splitSections(r.stdout));
}

export const hostnameModule = {
  name: 'hostname',
  checkMode: true,
  spec: {
    name: { type: 'str', required: true },
    use: { type: 'str', choices: ['alpine', 'debian', 'freebsd', 'generic', 'macos', 'macosx', 'darwin', 'openbsd', 'openrc', 'redhat', 'sles', 'solaris', 'systemd'] },
  },
  async run(args, ctx): Promise<ModuleResult> {
    const name = args.name as string;
    const probe = await ctx.conn.exec(
      'hostname 2>/dev/null || uname -n; cat /etc/hostname 2>/dev/null | head -n1; echo; [ -d /run/systemd/system ] && command -v hostnamectl >/dev/null 2>&1 && echo SYSTEMD; exit 0\n',
    );
    const [current = '', permanent = '', , marker = ''] = probe.stdout.split('\n');
    const strategy = (args.use as string | null) ?? (marker === 'SYSTEMD' ? 'systemd' : 'generic');
    const changed = current.trim() !== name || (strategy !== 'systemd' && permanent.trim() !== name);
    if (changed && !ctx.check) {
      const script =
        strategy === 'systemd'
          ? shJoin(['hostnamectl', 'set-hostname', name])
          : `printf '%s\\n' ${shQuote(name)} > /etc/hostname && ${shJoin(['hostname', name])}`;
      const r = await ctx.conn.exec(script + '\n');
      if (r.rc !== 0) return { failed: true, changed: false, msg: `Command failed rc=${r.rc}, out=${r.stdout}, err=${r.stderr}` };
    }
    const facts = await nameFacts(ctx);
    const short = name.split('.')[0] ?? name;
    return {
      ansible_facts: {
        ansible_domain: facts.domain,
        ansible_fqdn: facts.fqdn,
        ansible_hostname: short,
        ansible_nodename: name,
      },
      changed,
      name,
    };
  },
} satisfies ModuleDef;
