// package_facts: installed packages keyed by name (apt/dpkg, rpm), as Ansible's package_facts.
import type { ModuleDef } from '../types';

type Pkg = Record<string, unknown>;

export function parseDpkgList(text: string): Record<string, Pkg[]> {
  const packages: Record<string, Pkg[]> = {};
  for (const line of text.split('\n')) {
    const [status = '', name = '', version = '', arch = '', section = '', origin = ''] = line.split('\t');
    if (!name || !status.endsWith(' installed')) continue;
    const pkg: Pkg = { arch, category: section, name, origin, source: 'apt', version };
    (packages[name] ??= []).push(pkg);
  }
  return packages;
}

export function parseRpmList(text: string): Record<string, Pkg[]> {
  const packages: Record<string, Pkg[]> = {};
  for (const line of text.split('\n')) {
    const [name = '', epoch = '', version = '', release = '', arch = ''] = line.split('\t');
    if (!name) continue;
    const pkg: Pkg = { arch, epoch: epoch === '(none)' ? null : parseInt(epoch, 10), name, release, source: 'rpm', version };
    (packages[name] ??= []).push(pkg);
  }
  return packages;
}

export const packageFactsModule = {
  name: 'package_facts',
  checkMode: true,
  spec: {
    manager: { type: 'list', default: ['auto'], choices: ['auto', 'rpm', 'apt', 'portage', 'pkg', 'pacman', 'apk', 'pkg_info'], elements: 'str' },
    strategy: { type: 'str', default: 'first', choices: ['first', 'all'] },
  },
  async run(args, ctx) {
    const managers = args.manager as string[];
    const auto = managers.includes('auto');
    const wantApt = auto || managers.includes('apt');
    const wantRpm = auto || managers.includes('rpm');
    const script = [
      wantApt ? "if command -v dpkg-query >/dev/null 2>&1; then echo '@@apt'; dpkg-query -W -f='${Status}\\t${Package}\\t${Version}\\t${Architecture}\\t${Section}\\t${Origin}\\n'; fi" : '',
      wantRpm ? "if command -v rpm >/dev/null 2>&1; then echo '@@rpm'; rpm -qa --qf '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n'; fi" : '',
      'exit 0',
    ].filter(Boolean).join('\n');
    const r = await ctx.conn.exec(script + '\n');
    const [, aptPart, rpmPart] = /(?:@@apt\n([\s\S]*?))?(?:@@rpm\n([\s\S]*))?$/.exec(r.stdout) ?? [];
    let packages: Record<string, Pkg[]> = {};
    if (aptPart !== undefined) packages = parseDpkgList(aptPart);
    if (rpmPart !== undefined && (args.strategy === 'all' || aptPart === undefined)) {
      for (const [k, v] of Object.entries(parseRpmList(rpmPart))) (packages[k] ??= []).push(...v);
    }
    if (aptPart === undefined && rpmPart === undefined) {
      return { failed: true, changed: false, msg: `Could not detect a supported package manager from the following list: ${JSON.stringify(managers)}, or the required Python library is not installed. Check warnings for details.` };
    }
    const sorted: Record<string, Pkg[]> = {};
    for (const k of Object.keys(packages).sort()) sorted[k] = packages[k] as Pkg[];
    return { ansible_facts: { packages: sorted }, changed: false };
  },
} satisfies ModuleDef;
