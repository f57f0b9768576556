// wait_for: polls a port or a path ON THE TARGET in one sh loop (bash /dev/tcp or nc for
// ports, test -e / grep for paths) and returns Ansible's result or its timeout message.
import { shJoin, shQuote } from '../../connection/quote';
import { addPathInfo, catchFail, ModuleFail } from '../common';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';

const CONNECTION_STATES = new Set(['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING']);

/** sh condition that succeeds when host:port accepts a TCP connection. */
function portOpen(host: string, port: number, connectTimeout: number): string {
  const viaBash = shJoin(['timeout', String(connectTimeout), 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port}`]);
  const viaNc = shJoin(['nc', '-z', '-w', String(connectTimeout), host, String(port)]);
  return `{ if command -v bash >/dev/null 2>&1; then ${viaBash}; else ${viaNc}; fi; } >/dev/null 2>&1`;
}

const STATE_IDS: Record<string, string> = {
  ESTABLISHED: '01', SYN_SENT: '02', SYN_RECV: '03', FIN_WAIT1: '04', FIN_WAIT2: '05', TIME_WAIT: '06',
  CLOSE: '07', CLOSE_WAIT: '08', LAST_ACK: '09', LISTEN: '0A', CLOSING: '0B',
};

/** An address as /proc/net/tcp{,6} writes it (IPv4 also as IPv4-mapped IPv6); undefined for names we cannot turn into hex. */
function procNetHex(host: string): string[] | undefined {
  if (host === 'localhost') return [...(procNetHex('127.0.0.1') ?? []), '00000000000000000000000001000000'];
  if (host === '::1') return ['00000000000000000000000001000000'];
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (!m) return undefined;
  const v4 = m.slice(1, 5).reverse().map((x) => Number(x).toString(16).toUpperCase().padStart(2, '0')).join('');
  return [v4, `0000000000000000FFFF0000${v4}`];
}

/** sh condition that succeeds when the port has no active connection (/proc/net/tcp{,6}, as Ansible's Linux check). */
function portDrained(host: string, port: number, states: string[], excludeHosts: string[]): string {
  const ips = procNetHex(host);
  const matchAll = ips === undefined || ips.every((x) => /^0+$/.test(x.replace('FFFF', '0000'))) || host === '::';
  const excluded = excludeHosts.flatMap((h) => procNetHex(h) ?? []);
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const program = 'FNR > 1 { split($2, l, ":"); split($3, r, ":"); if (l[2] != port) next; if (index(states, " " $4 " ") == 0) next;'
    + ' if (index(ex, " " r[1] " ")) next; if (all == 1 || index(ips, " " l[1] " ")) n++ } END { exit n > 0 }';
  const vars = ['-v', `port=${portHex}`, '-v', `states= ${states.map((s) => STATE_IDS[s]).join(' ')} `, '-v', `ips= ${(ips ?? []).join(' ')} `,
    '-v', `ex= ${excluded.join(' ')} `, '-v', `all=${matchAll ? 1 : 0}`];
  return `${shJoin(['awk', ...vars, program])} /proc/net/tcp $( [ -r /proc/net/tcp6 ] && echo /proc/net/tcp6 ) 2>/dev/null`;
}

function pathCondition(path: string, regex: string | null): string {
  if (regex === null) return `[ -e ${shQuote(path)} ]`;
  // PCRE (GNU grep -P) understands Python's \\d and (?P<name>); ERE is the portable fallback
  const ere = regex.replace(/\(\?P<\w+>/g, '(').replace(/\(\?:/g, '(').replace(/\\d/g, '[0-9]').replace(/\\s/g, '[[:space:]]').replace(/\\w/g, '[[:alnum:]_]');
  const f = shQuote(path);
  return `{ [ -r ${f} ] && { grep -qP -- ${shQuote(regex)} ${f} || grep -qE -- ${shQuote(ere)} ${f}; }; } 2>/dev/null`;
}

/** Python's re.search groups for the first match (MULTILINE, as Ansible compiles it). */
function matchGroups(regex: string, text: string): { groups: (string | null)[]; dict: Record<string, string | null> } {
  const m = new RegExp(regex.replace(/\(\?P</g, '(?<'), 'm').exec(text);
  if (!m) return { groups: [], dict: {} };
  const dict: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) dict[k] = v ?? null;
  return { groups: m.slice(1).map((g) => g ?? null), dict };
}

async function run(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const host = args.host as string;
  const port = args.port as number | null;
  const path = args.path as string | null;
  const state = args.state as string;
  const regex = args.search_regex as string | null;
  const timeout = args.timeout as number;
  const msg = args.msg as string | null;
  if (regex !== null) {
    try {
      new RegExp(regex.replace(/\(\?P</g, '(?<'));
    } catch (e) {
      throw new ModuleFail(`Invalid regular expression: ${(e as Error).message}`);
    }
  }
  if (port && path) throw new ModuleFail('port and path parameter can not both be passed to wait_for', { elapsed: 0 });
  if (path && state === 'stopped') throw new ModuleFail('state=stopped should only be used for checking a port in the wait_for module', { elapsed: 0 });
  if (path && state === 'drained') throw new ModuleFail('state=drained should only be used for checking a port in the wait_for module', { elapsed: 0 });
  if (args.exclude_hosts !== null && state !== 'drained') throw new ModuleFail('exclude_hosts should only be with state=drained', { elapsed: 0 });
  for (const s of args.active_connection_states as string[]) {
    if (!CONNECTION_STATES.has(s)) throw new ModuleFail(`unknown active_connection_state (${s}) defined`, { elapsed: 0 });
  }

  const waitingForAbsence = state === 'absent' || state === 'stopped';
  let condition: string;
  if (!port && !path) condition = 'false';
  else if (state === 'drained') condition = portDrained(host, port as number, args.active_connection_states as string[], (args.exclude_hosts as string[] | null) ?? []);
  else if (path) condition = pathCondition(path, waitingForAbsence ? null : regex);
  else condition = portOpen(host, port as number, args.connect_timeout as number);
  if (waitingForAbsence && (port || path)) condition = `! ${condition}`;

  const script = [
    `_start=$(date +%s)`,
    `sleep ${Number(args.delay)}`,
    `_end=$((_start + ${timeout}))`,
    // without port or path Ansible simply sleeps for `timeout` seconds
    !port && !path ? `sleep ${timeout}; echo "DONE $(( $(date +%s) - _start ))"; exit 0` : '',
    `while :; do`,
    `  if ${condition}; then echo "DONE $(( $(date +%s) - _start ))"; exit 0; fi`,
    `  [ "$(date +%s)" -ge "$_end" ] && { echo "TIMEOUT $(( $(date +%s) - _start ))"; exit 0; }`,
    `  sleep ${Number(args.sleep)}`,
    `done`,
  ].filter(Boolean);
  const r = await ctx.conn.exec(script.join('\n') + '\n');
  const m = /^(DONE|TIMEOUT) (\d+)$/m.exec(r.stdout);
  const elapsed = m ? Number(m[2]) : 0;
  if (!m || m[1] === 'TIMEOUT') {
    let text: string;
    if (state === 'stopped') text = `Timeout when waiting for ${host}:${port} to stop.`;
    else if (state === 'drained') text = `Timeout when waiting for ${host}:${port} to drain`;
    else if (state === 'absent') text = `Timeout when waiting for ${path} to be absent.`;
    else if (port) text = regex ? `Timeout when waiting for search string ${regex} in ${host}:${port}` : `Timeout when waiting for ${host}:${port}`;
    else text = regex ? `Timeout when waiting for search string ${regex} in ${path}` : `Timeout when waiting for file ${path}`;
    throw new ModuleFail(msg ?? text, { elapsed });
  }
  let groups: { groups: (string | null)[]; dict: Record<string, string | null> } = { groups: [], dict: {} };
  if (path && regex !== null && !waitingForAbsence) groups = matchGroups(regex, (await ctx.conn.fetch(path)).toString('utf8'));
  // Ansible's exit_json adds the stat of `path` (so state becomes 'file' for an existing file)
  const result: ModuleResult = {
    changed: false,
    state,
    port,
    search_regex: regex,
    match_groups: groups.groups,
    match_groupdict: groups.dict,
    path,
    elapsed,
  };
  return path ? addPathInfo(ctx.conn, result) : result;
}

export const waitForModule: ModuleDef = {
  name: 'wait_for',
  checkMode: false,
  spec: {
    host: { type: 'str', default: '127.0.0.1' },
    timeout: { type: 'int', default: 300 },
    connect_timeout: { type: 'int', default: 5 },
    delay: { type: 'int', default: 0 },
    port: { type: 'int' },
    active_connection_states: {
      type: 'list',
      elements: 'str',
      default: ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT'],
    },
    path: { type: 'path' },
    search_regex: { type: 'str' },
    state: { type: 'str', default: 'started', choices: ['absent', 'drained', 'present', 'started', 'stopped'] },
    exclude_hosts: { type: 'list', elements: 'str' },
    sleep: { type: 'int', default: 1 },
    msg: { type: 'str' },
  },
  run: (args, ctx) => catchFail(() => run(args, ctx)),
};
