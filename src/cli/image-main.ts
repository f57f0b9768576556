// `tsible test image build|ls|rm`: the built-in base image, built with progress, listed, removed.
import { engineClient } from '../connection/docker/endpoint';
import { ExitCode, TsibleError } from '../errors';
import { barProgress, lineProgress } from '../testing/images/progress';
import { BUILTIN_IMAGE } from '../testing/images/recipe';
import { ensureBaseImage, listTsibleImages, removeTsibleImages } from '../testing/images/store';
import type { CliDeps } from './main';
import { parseFlags, SubcommandUsageError } from './subcommand-args';

export const IMAGE_HELP = `usage: tsible test image build [--rebuild]
       tsible test image ls
       tsible test image rm

The built-in base image ${BUILTIN_IMAGE}: Debian 12 with systemd, sshd, sudo, curl,
ca-certificates and iproute2 (no Python), built with debootstrap and docker import. It is
built when a scenario first needs it and reused until its recipe changes (a label on the
image holds the recipe's hash). Platforms use it with 'image: ${BUILTIN_IMAGE}'; to run a
scenario written for another image on it: docker tag ${BUILTIN_IMAGE} THAT_IMAGE

  build      build it unless a current one exists (--rebuild: build anyway)
  ls         list the images tsible built and whether their recipe is current
  rm         remove them (an image a container still uses is kept and named)
`;

function size(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(0)} MB`;
}

export async function imageMain(argv: string[], deps: CliDeps): Promise<number> {
  const { stdout, stderr } = deps;
  const [action, ...rest] = argv;
  try {
    const flags = parseFlags(rest, { values: [], switches: ['rebuild'] });
    if (!action || action === '-h' || action === '--help' || flags.switches.has('help')) {
      stdout.write(IMAGE_HELP);
      return 0;
    }
    if (flags.positional.length) throw new SubcommandUsageError(`unexpected argument '${flags.positional[0]}'`);
    const docker = engineClient({}, deps.env as NodeJS.ProcessEnv);
    if (action === 'build') {
      const log = (l: string): void => stderr.write(`${l}\n`);
      const progress = stderr.isTTY ? barProgress(process.stderr) : lineProgress(log);
      const r = await ensureBaseImage(docker, { progress, log, rebuild: flags.switches.has('rebuild') });
      if (!r.built) stdout.write(`${BUILTIN_IMAGE} is current (${r.id.slice(7, 19)}); nothing to build\n`);
      return 0;
    }
    if (action === 'ls') {
      const rows = [['IMAGE', 'ID', 'CREATED', 'SIZE', 'RECIPE']];
      for (const i of await listTsibleImages(docker)) {
        rows.push([i.tags.join(',') || '<untagged>', i.id.slice(7, 19), i.created.toISOString().replace(/\.\d+Z$/, 'Z'), size(i.sizeBytes), i.current ? 'current' : 'stale']);
      }
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
      stdout.write(rows.map((r) => r.map((x, c) => x.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n') + '\n');
      return 0;
    }
    if (action === 'rm') {
      const r = await removeTsibleImages(docker);
      for (const name of r.removed) stdout.write(`removed ${name}\n`);
      for (const name of r.inUse) stderr.write(`kept ${name}: a container still uses it\n`);
      if (!r.removed.length && !r.inUse.length) stdout.write('no tsible images to remove\n');
      return r.inUse.length ? ExitCode.ERROR : 0;
    }
    throw new SubcommandUsageError(`unknown image command '${action}' (build, ls or rm)`);
  } catch (e) {
    if (e instanceof SubcommandUsageError) {
      stderr.write(`${IMAGE_HELP.split('\n\n')[0]}\ntsible test image: error: ${e.message}\n`);
      return 2;
    }
    stderr.write(`ERROR! ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof TsibleError ? e.exitCode : ExitCode.ERROR;
  }
}
