// Runs debootstrap for a recipe into a directory (reporting each package step) and then the
// recipe's setup script inside it with chroot.
import { spawn } from 'child_process';
import { TsibleError } from '../../errors';
import type { ImageRecipe } from './recipe';

const STEP = /^I: (Retrieving|Validating|Extracting|Unpacking|Configuring) (\S+)/;

export interface RootfsRun {
  dir: string;
  mirror: string;
  /** Where debootstrap keeps downloaded .deb files between builds. */
  debCacheDir: string;
  onStep(detail: string): void;
  signal?: AbortSignal;
}

function run(argv: string[], onLine: (line: string) => void, signal: AbortSignal | undefined, stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], signal });
    const tail: string[] = [];
    let pending = '';
    const onData = (d: Buffer): void => {
      pending += d.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 25) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => reject(new TsibleError('IMAGE', `could not run ${argv[0]}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new TsibleError('IMAGE', `${argv[0]} failed (exit ${code}); its last lines:\n${tail.join('\n')}`));
    });
    child.stdin.end(stdin ?? '');
  });
}

/** Installs the recipe's Debian into `dir`; one onStep per package retrieved, unpacked, configured. */
export async function debootstrap(recipe: ImageRecipe, r: RootfsRun): Promise<void> {
  const argv = [
    'debootstrap',
    `--variant=${recipe.variant}`,
    `--cache-dir=${r.debCacheDir}`,
    ...(recipe.packages.length ? [`--include=${recipe.packages.join(',')}`] : []),
    recipe.suite,
    r.dir,
    r.mirror,
  ];
  await run(argv, (line) => {
    const m = STEP.exec(line);
    if (m) r.onStep(`${m[1]} ${m[2]}`);
  }, r.signal);
}

/** Runs the recipe's setup script in the new root. */
export async function setupRootfs(recipe: ImageRecipe, dir: string, signal?: AbortSignal): Promise<void> {
  await run(['chroot', dir, '/bin/sh', '-s'], () => undefined, signal, recipe.setup + '\n');
}
