// community.general.ufw: firewall state, defaults, logging and rules through the ufw command,
// changed decided as the real module does (status and rule tuples before and after, --dry-run in check mode).
import { shJoin, shQuote, shSplit } from '../../connection/quote';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';

const RULE_FILES = ['/lib/ufw/user.rules', '/lib/ufw/user6.rules', '/etc/ufw/user.rules', '/etc/ufw/user6.rules', '/var/lib/ufw/user.rules', '/var/lib/ufw/user6.rules'];
const IPV4 = /((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])/;
const IPV6 = new RegExp(
  '(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}' +
    '(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]' +
    '{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4})' +
    '{0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}' +
    '[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))',
);

const linesKeep = (s: string): string[] => s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
const onlyMatching = (re: RegExp, s: string): string => linesKeep(s).filter((l) => re.test(l)).join('');
const startsWith = (re: RegExp, ip: unknown): boolean => typeof ip === 'string' && new RegExp(`^(?:${re.source})`).test(ip);

class UfwFail extends Error {
  constructor(readonly result: ModuleResult) {
    super(String(result.msg));
  }
}

/** The rule's ufw words, each present only when its parameter is set (the real module's order). */
function ruleWords(args: Record<string, unknown>, insertTo: number | null): string[] {
  const words: [unknown, string][] = [
    [args.route, 'route'], [args.delete, 'delete'],
    [insertTo !== null && !args.delete, `insert ${insertTo}`],
    [true, args.rule as string], [args.direction, `${args.direction}`], [args.interface, `on ${args.interface}`],
    [args.interface_in, `in on ${args.interface_in}`], [args.interface_out, `out on ${args.interface_out}`], [args.log, 'log'],
    [args.from_ip, `from ${args.from_ip}`], [args.from_port, `port ${args.from_port}`], [args.to_ip, `to ${args.to_ip}`],
    [args.to_port, `port ${args.to_port}`], [args.proto, `proto ${args.proto}`], [args.name, `app '${args.name}'`],
  ];
  return words.filter(([on]) => Boolean(on)).map(([, w]) => w);
}

async function ufw(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const bins = await ctx.conn.exec('command -v ufw || echo "NOUFW $PATH"\ncommand -v grep\n');
  const missing = /^NOUFW (.*)$/m.exec(bins.stdout);
  if (missing) return { failed: true, changed: false, msg: `Failed to find required executable "ufw" in paths: ${missing[1]}` };
  const [ufwBin = 'ufw', grepBin = 'grep'] = bins.stdout.trim().split('\n');
  const cmds: string[] = [];
  const execute = async (words: string[], ignoreError = false): Promise<string> => {
    const cmd = words.join(' ');
    cmds.push(cmd);
    const r = await ctx.conn.exec(shJoin(shSplit(cmd)) + '\n', { env: { LANG: 'C' } });
    if (r.rc !== 0 && !ignoreError) throw new UfwFail({ failed: true, changed: false, msg: r.stderr || r.stdout, commands: cmds });
    return r.stdout;
  };
  const currentRules = (): Promise<string> => execute([grepBin, '-h', "'^### tuple'", ...RULE_FILES], true);
  const dry = ctx.check ? ['--dry-run'] : [];
  const preState = await execute([ufwBin, 'status verbose']);
  const preRules = await currentRules();
  let changed = false;
  for (const command of ['state', 'default', 'rule', 'logging'] as const) {
    const value = args[command] as string | null;
    if (!value) continue;
    if (command === 'state') {
      if (value === 'reloaded' || value === 'reset') changed = true;
      if (ctx.check) {
        const enabled = preState.includes(' active');
        if ((value === 'disabled' && enabled) || (value === 'enabled' && !enabled)) changed = true;
      } else await execute([ufwBin, '-f', { enabled: 'enable', disabled: 'disable', reloaded: 'reload', reset: 'reset' }[value] ?? value]);
    } else if (command === 'logging') {
      const m = /Logging: (on|off)(?: \(([a-z]+)\))?/.exec(preState);
      if (!m) changed = true;
      else if (value !== 'off') {
        if (m[1] === 'off' || (value !== 'on' && value !== m[2])) changed = true;
      } else if (m[1] !== 'off') changed = true;
      if (!ctx.check) await execute([ufwBin, 'logging', value]);
    } else if (command === 'default') {
      const direction = args.direction as string | null;
      if (!['outgoing', 'incoming', 'routed', null].includes(direction)) {
        return { failed: true, changed: false, msg: 'For default, direction must be one of "outgoing", "incoming" and "routed", or direction must not be specified.' };
      }
      if (ctx.check) {
        const m = /Default: (deny|allow|reject) \(incoming\), (deny|allow|reject) \(outgoing\), (deny|allow|reject|disabled) \(routed\)/.exec(preState);
        const current = m ? ({ incoming: m[1], outgoing: m[2], routed: m[3] } as Record<string, string | undefined>)[direction ?? 'incoming'] : undefined;
        if (current === undefined || (current !== value && current !== 'disabled')) changed = true;
      } else await execute([ufwBin, 'default', value, ...(direction ? [direction] : [])]);
    } else {
      if (!['in', 'out', null].includes(args.direction as string | null)) {
        return { failed: true, changed: false, msg: 'For rules, direction must be one of "in" and "out", or direction must not be specified.' };
      }
      if (!args.route && args.interface_in && args.interface_out) return { failed: true, changed: false, msg: 'Only route rules can combine interface_in and interface_out' };
      const insertTo = args.insert !== null && !args.delete ? await insertPosition(ctx, ufwBin, args) : null;
      const version = await execute([ufwBin, '--version']);
      const v = /^ufw.+(\d+)\.(\d+)(?:\.(\d+))?.*$/m.exec(version.split('\n').find((l) => l.trim()) ?? '');
      if (!v) return { failed: true, changed: false, msg: 'Failed to get ufw version.', rc: 0, out: version };
      const withComment = (Number(v[1]) === 0 && Number(v[2]) >= 35) || Number(v[1]) > 0;
      const words = [ufwBin, ...dry, ...ruleWords(args, insertTo), ...(withComment && args.comment ? [`comment '${args.comment as string}'`] : [])];
      const rulesDry = await execute(words);
      if (ctx.check) {
        const skipping = linesKeep(rulesDry).filter((l) => l.includes('Skipping')).length;
        if (!(skipping > 0 && skipping === linesKeep(rulesDry).length)) {
          const tuples = linesKeep(rulesDry).filter((l) => l.startsWith('### tuple')).join('');
          if (startsWith(IPV4, args.from_ip) || startsWith(IPV4, args.to_ip)) changed ||= onlyMatching(IPV4, preRules) !== onlyMatching(IPV4, tuples);
          else if (startsWith(IPV6, args.from_ip) || startsWith(IPV6, args.to_ip)) changed ||= onlyMatching(IPV6, preRules) !== onlyMatching(IPV6, tuples);
          else if (preRules !== tuples) changed = true;
        }
      }
    }
  }
  if (ctx.check) return { changed, commands: cmds };
  const postState = await execute([ufwBin, 'status', 'verbose']);
  if (!changed) {
    const postRules = await currentRules();
    changed = preState !== postState || preRules !== postRules;
  }
  return { changed, commands: cmds, msg: postState.trimEnd() };
}

/** `insert` relative to the first/last IPv4 or IPv6 rule, from `ufw status numbered`. */
async function insertPosition(ctx: ModuleContext, ufwBin: string, args: Record<string, unknown>): Promise<number | null> {
  const insert = args.insert as number;
  const relative = args.insert_relative_to as string;
  if (relative === 'zero') return insert;
  const r = await ctx.conn.exec(`${shQuote(ufwBin)} status numbered\n`, { env: { LANG: 'C' } });
  const rules = r.stdout.split('\n').flatMap((l) => {
    const m = /^\[ *([0-9]+)\] /.exec(l);
    return m ? [{ no: Number(m[1]), v6: l.includes('(v6)') }] : [];
  });
  const last = rules.length ? Math.max(...rules.map((x) => x.no)) : 0;
  const v4 = rules.filter((x) => !x.v6).map((x) => x.no);
  const hasV6 = rules.some((x) => x.v6);
  const base = { 'first-ipv4': 1, 'last-ipv4': v4.length ? Math.max(...v4) : 1, 'first-ipv6': v4.length ? Math.max(...v4) + 1 : 1, 'last-ipv6': hasV6 ? last : last + 1 }[relative] ?? 0;
  const to = insert + base;
  return to > last ? null : to;
}

export const ufwModule = {
  name: 'ufw',
  fqcns: ['community.general.ufw'],
  checkMode: true,
  spec: {
    comment: { type: 'str' },
    default: { type: 'str', aliases: ['policy'], choices: ['allow', 'deny', 'reject'] },
    delete: { type: 'bool', default: false },
    direction: { type: 'str', choices: ['in', 'incoming', 'out', 'outgoing', 'routed'] },
    from_ip: { type: 'str', default: 'any', aliases: ['from', 'src'] },
    from_port: { type: 'str' },
    insert: { type: 'int' },
    insert_relative_to: { type: 'str', choices: ['zero', 'first-ipv4', 'last-ipv4', 'first-ipv6', 'last-ipv6'], default: 'zero' },
    interface: { type: 'str', aliases: ['if'] },
    interface_in: { type: 'str', aliases: ['if_in'] },
    interface_out: { type: 'str', aliases: ['if_out'] },
    log: { type: 'bool', default: false },
    logging: { type: 'str', choices: ['full', 'high', 'low', 'medium', 'off', 'on'] },
    name: { type: 'str', aliases: ['app'] },
    proto: { type: 'str', aliases: ['protocol'], choices: ['ah', 'any', 'esp', 'ipv6', 'tcp', 'udp', 'gre', 'igmp'] },
    route: { type: 'bool', default: false },
    rule: { type: 'str', choices: ['allow', 'deny', 'limit', 'reject'] },
    state: { type: 'str', choices: ['enabled', 'disabled', 'reloaded', 'reset'] },
    to_ip: { type: 'str', default: 'any', aliases: ['dest', 'to'] },
    to_port: { type: 'str', aliases: ['port'] },
  },
  constraints: {
    mutuallyExclusive: [['name', 'proto', 'logging'], ['direction', 'interface_in'], ['direction', 'interface_out']],
    requiredOneOf: [['state', 'default', 'rule', 'logging']],
    requiredBy: { interface: ['direction'] },
  },
  run: async (args, ctx) => {
    try {
      return await ufw(args, ctx);
    } catch (e) {
      if (e instanceof UfwFail) return e.result;
      throw e;
    }
  },
} satisfies ModuleDef;
