// yum and dnf on hosts without them, refused the way Ansible refuses: yum (auto backend) by
// the host's pkg_mgr, dnf by the missing dnf Python module. tsible does not drive yum or dnf
// itself, so a host that has them gets a clear "not implemented" failure instead.
import { shQuote } from '../../connection/quote';
import { FIND_PYTHON } from '../../facts/parse-python';
import { pythonInterpreter } from '../common/python';
import type { ArgSpec, ModuleContext, ModuleDef, ModuleResult } from '../types';

/** The arguments both modules share (validated so typos fail as in Ansible). */
const COMMON: ArgSpec = {
  name: { type: 'list', elements: 'str', aliases: ['pkg'], default: [] },
  exclude: { type: 'list', elements: 'str', default: [] },
  list: { type: 'str' },
  state: { type: 'str', choices: ['absent', 'present', 'installed', 'removed', 'latest'] },
  enablerepo: { type: 'list', elements: 'str', default: [] },
  disablerepo: { type: 'list', elements: 'str', default: [] },
  conf_file: { type: 'str' },
  disable_gpg_check: { type: 'bool', default: false },
  skip_broken: { type: 'bool', default: false },
  update_cache: { type: 'bool', default: false, aliases: ['expire-cache'] },
  validate_certs: { type: 'bool', default: true },
  sslverify: { type: 'bool', default: true },
  installroot: { type: 'str', default: '/' },
  security: { type: 'bool', default: false },
  bugfix: { type: 'bool', default: false },
  enable_plugin: { type: 'list', elements: 'str', default: [] },
  disable_plugin: { type: 'list', elements: 'str', default: [] },
  releasever: { type: 'str' },
  autoremove: { type: 'bool', default: false },
  disable_excludes: { type: 'str' },
  download_only: { type: 'bool', default: false },
  download_dir: { type: 'str' },
  lock_timeout: { type: 'int', default: 30 },
  install_weak_deps: { type: 'bool', default: true },
  allow_downgrade: { type: 'bool', default: false },
  install_repoquery: { type: 'bool', default: true },
  update_only: { type: 'bool', default: false },
  cacheonly: { type: 'bool', default: false },
  nobest: { type: 'bool', default: false },
  allowerasing: { type: 'bool', default: false },
};

async function pkgMgr(ctx: ModuleContext): Promise<string> {
  if (typeof ctx.facts.pkg_mgr === 'string') return ctx.facts.pkg_mgr;
  const r = await ctx.conn.exec('for b in dnf yum apt-get zypper pacman apk; do command -v $b >/dev/null 2>&1 && { echo $b; exit 0; }; done; echo unknown\n');
  const found = r.stdout.trim();
  return found === 'apt-get' ? 'apt' : found === 'yum' ? 'yum' : found === 'dnf' ? 'dnf' : found;
}

export const yumModule = {
  name: 'yum',
  checkMode: true,
  spec: { ...COMMON, use_backend: { type: 'str', default: 'auto', choices: ['auto', 'yum', 'yum4', 'dnf'] } },
  async run(args, ctx): Promise<ModuleResult> {
    let backend = args.use_backend as string;
    if (backend === 'auto') {
      const mgr = await pkgMgr(ctx);
      if (!['yum', 'yum4', 'dnf'].includes(mgr)) {
        return {
          failed: true, changed: false, ansible_facts: { pkg_mgr: mgr },
          msg: [
            'Could not detect which major revision of yum is in use, which is required to determine module backend.',
            'You should manually specify use_backend to tell the module whether to use the yum (yum3) or dnf (yum4) backend})',
          ],
        };
      }
      backend = mgr;
    }
    if (backend === 'dnf' || backend === 'yum4') return dnfModule.run(args, ctx);
    return { failed: true, changed: false, msg: 'The yum (yum3) backend is not implemented by tsible: use the dnf backend (use_backend: dnf) or the package module' };
  },
} satisfies ModuleDef;

export const dnfModule = {
  name: 'dnf',
  checkMode: true,
  spec: COMMON,
  async run(_args, ctx): Promise<ModuleResult> {
    const interp = pythonInterpreter(ctx);
    const r = await ctx.conn.exec(
      `${interp ? `TSIBLE_PYTHON=${shQuote(interp)}` : 'TSIBLE_PYTHON='}\n${FIND_PYTHON}\n` +
        'echo "PY $py"; [ -n "$py" ] && "$py" -c "import sys; print(\'VER \' + sys.version.replace(chr(10), \' \'))" 2>/dev/null; command -v dnf >/dev/null 2>&1 && echo HAVE_DNF; exit 0\n',
    );
    const lines = r.stdout.split('\n');
    const py = lines.find((l) => l.startsWith('PY '))?.slice(3).trim() || '/usr/bin/python3';
    const ver = lines.find((l) => l.startsWith('VER '))?.slice(4).trim() ?? '';
    if (!lines.includes('HAVE_DNF')) {
      return {
        failed: true, changed: false, results: [],
        msg: `Could not import the dnf python module using ${py} (${ver}). Please install \`python3-dnf\` or \`python2-dnf\` package or ensure you have specified the correct ansible_python_interpreter. (attempted ['/usr/libexec/platform-python', '/usr/bin/python3', '/usr/bin/python2', '/usr/bin/python'])`,
      };
    }
    return { failed: true, changed: false, msg: 'The dnf module is not implemented by tsible yet: use the package module or command: dnf' };
  },
} satisfies ModuleDef;
