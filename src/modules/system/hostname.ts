// The hostname module: sets the running and persistent host name (hostnamectl on systemd,
// /etc/hostname + hostname(1) elsewhere) and returns the refreshed name facts.
import { shJoin, shQuote } from '../../connection/quote';
import { platformFacts } from '../../facts/parse-platform';
import { buildProbeScript, SECTION_MARK, splitSections } from '../../facts/probe';
import type { ModuleDef, ModuleResult } from '../types';

export const hostnameModule = {
  name: 'hostname',
  checkMode: true,
  spec: {
    name: { type: 'str', required: true },
    use: { type: 'str', choices: ['alpine', 'debian', 'freebsd', 'generic', 'macos', 'macosx', 'darwin', 'openbsd', 'openrc', 'redhat', 'sles', 'solaris', 'systemd'] },
  },
  async run(args, ctx): Promise<ModuleResult> {
    const name = args.name as string;
    // one exec: the names now and the name facts (what the result reports when nothing changes)
    const probe = await ctx.conn.exec(
      '( hostname 2>/dev/null || uname -n; cat /etc/hostname 2>/dev/null | head -n1; echo; [ -d /run/systemd/system ] && command -v hostnamectl >/dev/null 2>&1 && echo SYSTEMD; exit 0 )\n' +
        buildProbeScript(['uname', 'fqdn']),
    );
    const [current = '', permanent = '', , marker = ''] = probe.stdout.slice(0, probe.stdout.indexOf(SECTION_MARK)).split('\n');
    const strategy = (args.use as string | null) ?? (marker === 'SYSTEMD' ? 'systemd' : 'generic');
    const changed = current.trim() !== name || (strategy !== 'systemd' && permanent.trim() !== name);
    let facts = platformFacts(splitSections(probe.stdout));
    if (changed && !ctx.check) {
      const script =
        strategy === 'systemd'
          ? shJoin(['hostnamectl', 'set-hostname', name])
          : `printf '%s\\n' ${shQuote(name)} > /etc/hostname && ${shJoin(['hostname', name])}`;
      // the change and the refreshed name facts in one exec
      const r = await ctx.conn.exec(`( ${script}\n) || { echo "HOSTNAME-FAILED $?"; exit 1; }\n${buildProbeScript(['uname', 'fqdn'])}`);
      const failed = /^HOSTNAME-FAILED (\d+)$/m.exec(r.stdout);
      if (failed) {
        const out = r.stdout.slice(0, failed.index);
        return { failed: true, changed: false, msg: `Command failed rc=${failed[1]}, out=${out}, err=${r.stderr}` };
      }
      facts = platformFacts(splitSections(r.stdout));
    }
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
