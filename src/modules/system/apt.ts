// The apt module: package state from dpkg-query/apt-cache in one probe, then one apt-get
// (or dpkg -i for `deb`) run; check mode uses apt-get's simulation, as Ansible does.
import { shJoin, shQuote } from '../../connection/quote';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { runSteps } from '../common';
import type { StepResult } from '../common';

const MARK = '@@TSIBLE_APT@@';
const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive', DEBCONF_NONINTERACTIVE_SEEN: 'true', LC_ALL: 'C' };

interface PkgState {
  installed?: string; // installed version
  candidate?: string; // apt-cache policy candidate
}

function splitSpec(spec: string): { name: string; version?: string } {
  const eq = spec.indexOf('=');
  return eq > 0 ? { name: spec.slice(0, eq), version: spec.slice(eq + 1) } : { name: spec };
}

async function probePackages(ctx: ModuleContext, names: string[], updateFirst = false): Promise<{ pkgs: Map<string, PkgState>; cacheTime: number; update?: StepResult }> {
  if (updateFirst) {
    // the cache update and the probe after it: one exec
    const [update, probe] = await runSteps(ctx.conn, [{ script: 'apt-get update' }, { script: probeScript(names) }], { env: APT_ENV });
    if (!update || update.rc !== 0 || !probe) return { pkgs: new Map(), cacheTime: 0, update: update ?? { rc: 1, stdout: '', stderr: '' } };
    return { ...parsePackages(probe.stdout), update };
  }
  const r = await ctx.conn.exec(probeScript(names), { env: APT_ENV });
  return parsePackages(r.stdout);
}

function probeScript(names: string[]): string {
  const lines = [
    `_st=/var/lib/apt/periodic/update-success-stamp; [ -e "$_st" ] || _st=/var/lib/apt/lists; printf '%s cache %s\\n' '${MARK}' "$(stat -c %Y "$_st" 2>/dev/null || echo 0)"`,
  ];
  for (const n of names) {
    const q = shQuote(n);
    lines.push(
      `printf '%s pkg %s\\n' '${MARK}' ${q}`,
      `dpkg-query -W -f='S ${'${Status}'}\\tV ${'${Version}'}\\n' ${q} 2>/dev/null`,
      `apt-cache policy ${q} 2>/dev/null | awk '/Candidate:/ {print "C " $2}'`,
    );
  }
  return lines.join('\n') + '\nexit 0\n';
}

function parsePackages(stdout: string): { pkgs: Map<string, PkgState>; cacheTime: number } {
  const pkgs = new Map<string, PkgState>();
  let cacheTime = 0;
  let current: PkgState | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${MARK} cache `)) cacheTime = parseInt(line.slice(MARK.length + 7), 10) || 0;
    else if (line.startsWith(`${MARK} pkg `)) {
      current = {};
      pkgs.set(line.slice(MARK.length + 5), current);
    } else if (current && line.startsWith('S ')) {
      const [status = '', version = ''] = line.slice(2).split('\tV ');
      if (status.endsWith(' installed')) current.installed = version;
    } else if (current && line.startsWith('C ')) {
      const c = line.slice(2).trim();
      if (c && c !== '(none)') current.candidate = c;
    }
  }
  return { pkgs, cacheTime };
}

function outputs(stdout: string, stderr: string): Record<string, unknown> {
  const split = (s: string): string[] => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));
  return { stderr, stderr_lines: split(stderr), stdout, stdout_lines: split(stdout) };
}

function dpkgOptions(args: Record<string, unknown>): string[] {
  return String(args.dpkg_options ?? '')
    .split(',')
    .filter(Boolean)
    .flatMap((o) => ['-o', `Dpkg::Options::=--${o}`]);
}

async function installDeb(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const deb = args.deb as string;
  const info = await ctx.conn.exec(`dpkg-deb -f ${shQuote(deb)} Package Version\n`);
  if (info.rc !== 0) return { failed: true, changed: false, msg: `Unable to install package: ${info.stderr.trim()}` };
  const fields = Object.fromEntries(info.stdout.split('\n').map((l) => [l.split(':')[0], l.slice(l.indexOf(':') + 1).trim()]));
  const { pkgs } = await probePackages(ctx, [fields.Package ?? '']);
  if (pkgs.get(fields.Package ?? '')?.installed === fields.Version && !args.force) return { changed: false, ...outputs('', '') };
  const argv = ['dpkg', ...(ctx.check ? ['--simulate'] : []), ...String(args.dpkg_options ?? '').split(',').filter(Boolean).map((o) => `--${o}`), '-i', deb];
  const r = await ctx.conn.exec(shJoin(argv) + '\n', { env: APT_ENV });
  if (r.rc !== 0) return { failed: true, changed: false, msg: `'${shJoin(argv)}' failed: ${r.stderr}`, ...outputs(r.stdout, r.stderr) };
  return { changed: true, ...outputs(r.stdout, r.stderr) };
}

async function runApt(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  if (args.deb !== null) return installDeb(args, ctx);
  const specs = ((args.name as string[] | null) ?? []).map(splitSpec);
  let cacheUpdated = false;
  let { pkgs, cacheTime } = await probePackages(ctx, specs.map((s) => s.name));
  // cache_valid_time alone asks for an update too (Ansible >= 2.4); the cache is stale when
  // its stamp (or the lists directory) is older than that many seconds
  if (args.update_cache || args.cache_valid_time) {
    const validFor = args.cache_valid_time as number;
    const now = Math.floor(Date.now() / 1000);
    if (!(cacheTime + validFor >= now)) {
      const before = cacheTime;
      if (!ctx.check) {
        // the cache update and the probe after it: one exec
        const after = await probePackages(ctx, specs.map((s) => s.name), true);
        const r = after.update as StepResult;
        if (r.rc !== 0) return { failed: true, changed: false, msg: `Failed to update apt cache: ${r.stderr.trim() || 'unknown reason'}` };
        ({ pkgs, cacheTime } = after);
      }
      cacheUpdated = ctx.check || cacheTime !== before;
    }
    if (specs.length === 0 && args.upgrade === 'no') return { changed: cacheUpdated, cache_updated: cacheUpdated, cache_update_time: cacheTime };
  }
  const cacheInfo = { cache_update_time: cacheTime, cache_updated: cacheUpdated };
  if (specs.length === 0) return { changed: cacheUpdated, ...cacheInfo };
  const state = args.state as string;
  const base = ['apt-get', '-y', ...dpkgOptions(args), ...(ctx.check ? ['-s'] : [])];
  let argv: string[] | undefined;
  if (state === 'absent') {
    const installed = specs.filter((s) => pkgs.get(s.name)?.installed !== undefined);
    if (installed.length === 0) return { changed: false };
    argv = [...base, 'remove', ...(args.purge ? ['--purge'] : []), ...(args.autoremove ? ['--auto-remove'] : []), ...installed.map((s) => s.name)];
  } else {
    for (const s of specs) {
      const p = pkgs.get(s.name);
      if (p?.installed === undefined && p?.candidate === undefined) return { failed: true, changed: false, msg: `No package matching '${s.name}' is available` };
    }
    const todo = specs.filter((s) => {
      const p = pkgs.get(s.name) ?? {};
      if (p.installed === undefined) return true;
      if (s.version !== undefined) return !p.installed.startsWith(s.version.replace(/\*$/, ''));
      return state === 'latest' && p.candidate !== undefined && p.candidate !== p.installed;
    });
    if (todo.length === 0) return { changed: false, ...cacheInfo };
    const recommends = args.install_recommends === null ? [] : [args.install_recommends ? '--install-recommends' : '--no-install-recommends'];
    const flags = [
      ...recommends,
      ...(args.allow_unauthenticated ? ['--allow-unauthenticated'] : []),
      ...(args.allow_downgrade ? ['--allow-downgrades'] : []),
      ...(args.allow_change_held_packages ? ['--allow-change-held-packages'] : []),
      ...(args.default_release !== null ? ['-t', args.default_release as string] : []),
      ...(args.only_upgrade ? ['--only-upgrade'] : []),
      ...(args.autoremove ? ['--auto-remove'] : []),
    ];
    argv = [...base, ...flags, 'install', ...todo.map((s) => (s.version !== undefined ? `${s.name}=${s.version}` : s.name))];
  }
  const r = await ctx.conn.exec(shJoin(argv) + '\n', { env: APT_ENV });
  if (r.rc !== 0) return { failed: true, changed: false, msg: `'${shJoin(argv)}' failed: ${r.stderr}`, rc: r.rc, ...outputs(r.stdout, r.stderr), ...cacheInfo };
  return { changed: true, ...(state === 'absent' ? {} : cacheInfo), ...outputs(r.stdout, r.stderr) };
}

export const aptSpec = {
  allow_change_held_packages: { type: 'bool', default: false },
  allow_downgrade: { type: 'bool', default: false, aliases: ['allow-downgrade', 'allow_downgrades', 'allow-downgrades'] },
  allow_unauthenticated: { type: 'bool', default: false, aliases: ['allow-unauthenticated'] },
  autoclean: { type: 'bool', default: false },
  autoremove: { type: 'bool', default: false },
  cache_valid_time: { type: 'int', default: 0 },
  clean: { type: 'bool', default: false },
  deb: { type: 'path' },
  default_release: { type: 'str', aliases: ['default-release'] },
  dpkg_options: { type: 'str', default: 'force-confdef,force-confold' },
  fail_on_autoremove: { type: 'bool', default: false },
  force: { type: 'bool', default: false },
  force_apt_get: { type: 'bool', default: false },
  install_recommends: { type: 'bool', aliases: ['install-recommends'] },
  lock_timeout: { type: 'int', default: 60 },
  name: { type: 'list', aliases: ['package', 'pkg'], elements: 'str' },
  only_upgrade: { type: 'bool', default: false },
  policy_rc_d: { type: 'int' },
  purge: { type: 'bool', default: false },
  state: { type: 'str', default: 'present', choices: ['absent', 'build-dep', 'latest', 'present', 'fixed'] },
  update_cache: { type: 'bool', aliases: ['update-cache'] },
  update_cache_retries: { type: 'int', default: 5 },
  update_cache_retry_max_delay: { type: 'int', default: 12 },
  upgrade: { type: 'str', default: 'no', choices: ['dist', 'full', 'no', 'safe', 'yes'] },
} satisfies ModuleDef['spec'];

export const aptModule = {
  name: 'apt',
  checkMode: true,
  spec: aptSpec,
  // Ansible's required_one_of here is always met (autoremove defaults to false).
  constraints: { mutuallyExclusive: [['deb', 'name']] },
  run: runApt,
} satisfies ModuleDef;
