// The pip module: Python packages on the target. Presence is read from the target Python's
// installed distributions, so a package that is already there is a no-op without pip;
// installing, upgrading and removing run pip (python -m pip, pip3, a virtualenv's pip).
import { shJoin, shQuote } from '../../connection/quote';
import { FIND_PYTHON } from '../../facts/parse-python';
import { shlexSplit } from '../../util/shlex';
import { pythonInterpreter } from '../common/python';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { canonicalName, parseRequirement, recoverNames, satisfies, withVersion, type Requirement } from './pip-requirement';

const STATE_ARGS: Record<string, string[]> = {
  present: ['install'],
  absent: ['uninstall', '-y'],
  latest: ['install', '-U'],
  forcereinstall: ['install', '-U', '--force-reinstall'],
};

const LIST_CODE =
  'import sys,json,importlib.util as u\n' +
  'try:\n import importlib.metadata as m; p=[[d.metadata["Name"] or "", d.version] for d in m.distributions()]\n' +
  'except Exception:\n p=None\n' +
  'print(json.dumps({"python": sys.executable, "pip": u.find_spec("pip") is not None, "packages": p}))';

interface TargetPython {
  python?: string;
  hasPip: boolean;
  /** name==version lines of what is installed (undefined when it could not be read). */
  installed?: string[];
  pip3?: string;
  path: string;
}

async function probePython(ctx: ModuleContext, interpreter: string | undefined): Promise<TargetPython> {
  const script = [
    interpreter ? `TSIBLE_PYTHON=${shQuote(interpreter)}` : 'TSIBLE_PYTHON=',
    FIND_PYTHON,
    `[ -n "$py" ] && "$py" -c ${shQuote(LIST_CODE)} 2>/dev/null`,
    'echo "@@pip3 $(command -v pip3 2>/dev/null)"',
    'echo "@@path $PATH"',
    'exit 0',
  ].join('\n');
  const r = await ctx.conn.exec(script + '\n');
  const out: TargetPython = { hasPip: false, path: '' };
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('{')) {
      try {
        const info = JSON.parse(line) as { python: string; pip: boolean; packages: [string, string][] | null };
        out.python = info.python;
        out.hasPip = info.pip;
        if (info.packages) out.installed = info.packages.map(([n, v]) => `${n}==${v}`);
      } catch {
        // not the probe's line
      }
    } else if (line.startsWith('@@pip3 ')) out.pip3 = line.slice(7).trim() || undefined;
    else if (line.startsWith('@@path ')) out.path = line.slice(7);
  }
  return out;
}

function isPresent(req: Requirement, installed: string[]): boolean {
  return installed.some((line) => {
    const [n, v] = line.split('==');
    return v !== undefined && req.name !== undefined && canonicalName(n!) === req.name && satisfies(req, v);
  });
}

/** pip as Ansible's _get_pip picks it: executable, the virtualenv's, the interpreter's module, pip3. */
async function findPip(ctx: ModuleContext, args: Record<string, unknown>, py: TargetPython): Promise<string[] | ModuleResult> {
  const executable = args.executable as string | null;
  const env = args.virtualenv as string | null;
  if (executable) return [executable];
  if (env) {
    const r = await ctx.conn.exec(`for b in pip3 pip; do [ -x ${shQuote(env)}/bin/$b ] && { echo ${shQuote(env)}/bin/$b; exit 0; }; done; exit 1\n`);
    if (r.rc === 0) return [r.stdout.trim()];
    return { failed: true, changed: false, msg: `Unable to find pip in the virtualenv, ${env}, under any of these names: pip3, pip. Make sure pip is present in the virtualenv.` };
  }
  if (py.python && py.hasPip) return [py.python, '-m', 'pip.__main__'];
  if (py.pip3) return [py.pip3];
  return { failed: true, changed: false, msg: 'Unable to find any of pip3 to use.  pip needs to be installed.' };
}

function failure(cmd: string[], out: string, err: string): ModuleResult {
  let msg = '';
  if (out) msg += `stdout: ${out}`;
  if (err) msg += `\n:stderr: ${err}`;
  return { failed: true, changed: false, cmd, msg };
}

async function ensureVirtualenv(ctx: ModuleContext, args: Record<string, unknown>, chdir: string): Promise<{ created: boolean; out: string; err: string } | ModuleResult> {
  const env = args.virtualenv as string;
  const exists = await ctx.conn.exec(`[ -e ${shQuote(env)}/bin/activate ]\n`);
  if (exists.rc === 0) return { created: false, out: '', err: '' };
  if (ctx.check) return { changed: true };
  const cmd = shlexSplit(args.virtualenv_command as string, { comments: false });
  if (args.virtualenv_site_packages) cmd.push('--system-site-packages');
  if (args.virtualenv_python) cmd.push(`-p${args.virtualenv_python as string}`);
  cmd.push(env);
  const r = await ctx.conn.exec(`cd ${shQuote(chdir)} && ${shJoin(cmd)}\n`);
  if (r.rc !== 0) return failure(cmd, r.stdout, r.stderr);
  return { created: true, out: r.stdout, err: r.stderr };
}

async function listWithPip(ctx: ModuleContext, pip: string[], chdir: string): Promise<{ cmd: string; out: string; err: string }> {
  const cmd = [...pip, 'list', '--format=freeze'];
  const r = await ctx.conn.exec(`cd ${shQuote(chdir)} && LC_ALL=C ${shJoin(cmd)}\n`);
  if (r.rc === 0) return { cmd: cmd.join(' '), out: r.stdout, err: r.stderr };
  const freeze = [...pip, 'freeze'];
  const f = await ctx.conn.exec(`cd ${shQuote(chdir)} && ${shJoin(freeze)}\n`);
  return { cmd: freeze.join(' '), out: f.stdout, err: f.stderr };
}

export const pipModule = {
  name: 'pip',
  checkMode: true,
  spec: {
    state: { type: 'str', default: 'present', choices: Object.keys(STATE_ARGS) },
    name: { type: 'list', elements: 'str' },
    version: { type: 'str' },
    requirements: { type: 'str' },
    virtualenv: { type: 'path' },
    virtualenv_site_packages: { type: 'bool', default: false },
    virtualenv_command: { type: 'path', default: 'virtualenv' },
    virtualenv_python: { type: 'str' },
    extra_args: { type: 'str' },
    editable: { type: 'bool', default: false },
    chdir: { type: 'path' },
    executable: { type: 'path' },
    umask: { type: 'str' },
  },
  constraints: {
    requiredOneOf: [['name', 'requirements']],
    mutuallyExclusive: [['name', 'requirements'], ['executable', 'virtualenv']],
  },
  async run(args, ctx): Promise<ModuleResult> {
    const state = args.state as string;
    const version = args.version as string | null;
    const requirements = args.requirements as string | null;
    let extraArgs = (args.extra_args as string | null) ?? undefined;
    const chdir = (args.chdir as string | null) ?? '/tmp';
    if (args.chdir && args.virtualenv && !(args.virtualenv as string).startsWith('/')) args.virtualenv = `${chdir}/${args.virtualenv as string}`;
    const env = args.virtualenv as string | null;
    if (state === 'latest' && version !== null) return { failed: true, changed: false, msg: 'version is incompatible with state=latest' };
    let names = args.name ? recoverNames(args.name as string[]) : undefined;
    if (names && version !== null) {
      if (names.length > 1) {
        return { failed: true, changed: false, msg: "'version' argument is ambiguous when installing multiple package distributions. Please specify version restrictions next to each package in 'name' argument." };
      }
      if (parseRequirement(names[0]!).specs.length) {
        return { failed: true, changed: false, msg: "The 'version' argument conflicts with any version specifier provided along with a package name. Please keep the version specifier, but remove the 'version' argument." };
      }
      names = [withVersion(names[0]!, version)];
    }
    const packages = (names ?? []).map(parseRequirement);
    const hasVcs = (names ?? []).some((n) => /^(svn|git|hg|bzr)\+/.test(n) || /^(svn|git|hg|bzr):\/\//.test(n));
    if (args.editable && !(extraArgs ?? '').split(' ').includes('-e')) extraArgs = [extraArgs, '-e'].filter(Boolean).join(' ');
    const base = { name: args.name ?? null, version, state, requirements, virtualenv: env };

    let venv = { created: false, out: '', err: '' };
    if (env) {
      const v = await ensureVirtualenv(ctx, args, chdir);
      if ('failed' in v || 'changed' in v) return v as ModuleResult;
      venv = v as typeof venv;
    }
    const py = await probePython(ctx, pythonInterpreter(ctx));

    // a package that is already (or, for absent, no longer) there needs neither pip nor a change
    const simple = names && !extraArgs && !requirements && !hasVcs && !env && !args.executable && (state === 'present' || state === 'absent');
    if (simple && py.installed && packages.every((p) => p.name !== undefined)) {
      const wanted = packages.map((p) => isPresent(p, py.installed!));
      const done = state === 'present' ? wanted.every(Boolean) : !wanted.some(Boolean);
      if (done) return { changed: false, cmd: [...(py.python ? [py.python, '-m', 'pip.__main__'] : ['pip3']), ...STATE_ARGS[state]!, ...names!], ...base, stdout: '', stderr: '' };
    }

    const pip = await findPip(ctx, args, py);
    if (!Array.isArray(pip)) return pip;
    const cmd = [...pip, ...STATE_ARGS[state]!];
    if (extraArgs) cmd.push(...shlexSplit(extraArgs, { comments: false }));
    if (names) cmd.push(...packages.map((p) => p.text));
    else if (requirements) cmd.push('-r', requirements);
    else return { changed: false, warnings: ['No valid name or requirements file found.'] };

    if (ctx.check) {
      if (extraArgs || requirements || state === 'latest' || !names) return { changed: true };
      const listed = await listWithPip(ctx, pip, chdir);
      const lines = listed.out.split('\n').filter((l) => l && !l.startsWith('You are using') && !l.startsWith('You should consider'));
      const changed = packages.some((p) => {
        const present = isPresent(p, lines);
        return (state === 'present' && !present) || (state === 'absent' && present);
      });
      return { changed, cmd: listed.cmd, stdout: venv.out + listed.out, stderr: venv.err + listed.err };
    }

    const before = requirements || hasVcs ? (await listWithPip(ctx, pip, chdir)).out : undefined;
    const pathPrefix = env ? `PATH=${shQuote(`${env}/bin`)}:"$PATH" ` : '';
    const umask = args.umask ? `umask ${shQuote(args.umask as string)} && ` : '';
    const r = await ctx.conn.exec(`cd ${shQuote(chdir)} && ${umask}${pathPrefix}${shJoin(cmd)}\n`);
    const out = venv.out + r.stdout;
    const err = venv.err + r.stderr;
    const notInstalled = state === 'absent' && r.rc === 1 && (r.stdout.includes('not installed') || r.stderr.includes('not installed'));
    if (r.rc !== 0 && !notInstalled) return failure(cmd, out, err);
    let changed: boolean;
    if (state === 'absent') changed = r.stdout.includes('Successfully uninstalled');
    else if (before === undefined) changed = r.stdout.includes('Successfully installed');
    else changed = before !== (await listWithPip(ctx, pip, chdir)).out;
    return { changed: changed || venv.created, cmd, ...base, stdout: out, stderr: err };
  },
} satisfies ModuleDef;
