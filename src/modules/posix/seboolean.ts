// ansible.posix.seboolean: an SELinux boolean through selinuxfs (as libselinux does it); hosts
// without SELinux (Debian's default) are refused with the real module's message.
import { shQuote } from '../../connection/quote';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';

const FS = '/sys/fs/selinux';

async function seboolean(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const name = args.name as string;
  const want = args.state as boolean;
  const file = `${FS}/booleans/${name}`;
  const probe = await ctx.conn.exec(
    `[ -e ${FS}/enforce ] && echo ENABLED\n[ -d ${FS}/booleans ] && echo LIST\n` +
      `[ -f ${shQuote(file)} ] && printf 'VALUE %s\\n' "$(cat ${shQuote(file)})"\nexit 0\n`,
  );
  const out = probe.stdout;
  if (!args.ignore_selinux_state && !/^ENABLED$/m.test(out)) return { failed: true, changed: false, msg: 'SELinux is disabled on this host.' };
  if (!/^LIST$/m.test(out)) return { failed: true, changed: false, msg: 'Failed to get list of boolean names' };
  const value = /^VALUE (\d)/m.exec(out)?.[1];
  if (value === undefined) return { failed: true, changed: false, msg: `SELinux boolean ${name} does not exist.` };
  const result: ModuleResult = { name, persistent: args.persistent, state: want, changed: (value === '1') !== want };
  if (!result.changed || ctx.check) return result;
  const bit = want ? '1' : '0';
  // persistent values live in the policy store: setsebool -P (policycoreutils) writes it as semanage does
  const script = args.persistent
    ? `setsebool -P ${shQuote(name)} ${want ? 'on' : 'off'}`
    : `echo ${bit} > ${shQuote(file)} && echo 1 > ${FS}/commit_pending_bools`;
  const r = await ctx.conn.exec(script + '\n');
  if (r.rc !== 0) {
    return { failed: true, changed: false, msg: args.persistent ? `Failed to manage policy for boolean ${name}: ${r.stderr.trim()}` : `Failed to set boolean ${name} to ${bit}` };
  }
  return result;
}

export const sebooleanModule = {
  name: 'seboolean',
  fqcns: ['ansible.posix.seboolean'],
  checkMode: true,
  spec: {
    ignore_selinux_state: { type: 'bool', default: false },
    name: { type: 'str', required: true },
    persistent: { type: 'bool', default: false },
    state: { type: 'bool', required: true },
  },
  run: seboolean,
} satisfies ModuleDef;
