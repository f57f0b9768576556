// Builds the built-in base image: debootstrap into a scratch root, the recipe's setup in a
// chroot, then `docker import` of its tar through the Engine API with the recipe's hash as label.
import { spawn, spawnSync } from 'child_process';
import type Docker from 'dockerode';
import * as fs from 'fs';
import * as path from 'path';
import { TsibleError } from '../../errors';
import { debootstrap, setupRootfs } from './debootstrap';
import type { BuildProgress } from './progress';
import { BASE_RECIPE, BUILT_BY_LABEL, builtinImageRef, RECIPE_LABEL, recipeHash, type ImageRecipe } from './recipe';

export interface BuildOptions {
  progress: BuildProgress;
  /** Holds debootstrap's .deb cache and the scratch root while building. */
  cacheDir: string;
  mirror?: string;
  recipe?: ImageRecipe;
  signal?: AbortSignal;
}

const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
const STEPS_FILE = 'debootstrap-steps';

function expectedSteps(cacheDir: string): number {
  const n = Number(fs.existsSync(path.join(cacheDir, STEPS_FILE)) ? fs.readFileSync(path.join(cacheDir, STEPS_FILE), 'utf8') : NaN);
  return Number.isFinite(n) && n > 0 ? n : 700;
}

function sizeOf(dir: string): number {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number((r.stdout ?? '').split('\t')[0]) || 1;
}

/** Streams `tar -c` of the root into POST /images/create?fromSrc=-, reporting each 8 MiB. */
async function importRootfs(docker: Docker, dir: string, recipe: ImageRecipe, progress: BuildProgress, signal?: AbortSignal): Promise<void> {
  const [repo, tag] = builtinImageRef(recipe).split(':') as [string, string];
  const changes = [...recipe.changes, `LABEL ${RECIPE_LABEL}=${recipeHash(recipe)}`, `LABEL ${BUILT_BY_LABEL}=base`];
  progress.phase('import', Math.ceil(sizeOf(dir) / (8 << 20)));
  const tar = spawn('tar', ['-C', dir, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'], signal });
  let sent = 0;
  tar.stdout.on('data', (d: Buffer) => {
    const before = Math.floor(sent / (8 << 20));
    sent += d.length;
    if (Math.floor(sent / (8 << 20)) > before) progress.step(`${Math.round(sent / (1 << 20))} MiB`);
  });
  let tarError = '';
  tar.stderr.on('data', (d: Buffer) => (tarError += d.toString()));
  const tarDone = new Promise<number>((resolve) => tar.on('close', (code) => resolve(code ?? 1)));
  const response = await docker.importImage(tar.stdout as unknown as string, { repo, tag, changes } as unknown as {}).catch((e: Error) => {
    tar.kill();
    throw new TsibleError('IMAGE', `docker import of ${recipe.name} failed: ${e.message}`);
  });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(response, (err: Error | null, events: Array<{ error?: string }>) => {
      const failed = err?.message ?? events.find((e) => e.error)?.error;
      if (failed) reject(new TsibleError('IMAGE', `docker import of ${recipe.name} failed: ${failed}`));
      else resolve();
    }),
  );
  if ((await tarDone) !== 0) throw new TsibleError('IMAGE', `tar of the image root failed: ${tarError.trim()}`);
}

/** Builds the base image, tagged with its recipe's ref and BUILTIN_IMAGE; returns its image id. */
export async function buildBaseImage(docker: Docker, opts: BuildOptions): Promise<string> {
  const recipe = opts.recipe ?? BASE_RECIPE;
  const debCacheDir = path.join(opts.cacheDir, 'debs');
  fs.mkdirSync(debCacheDir, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(opts.cacheDir, 'rootfs-'));
  const started = Date.now();
  try {
    const expected = expectedSteps(opts.cacheDir);
    let steps = 0;
    opts.progress.phase('debootstrap', expected);
    await debootstrap(recipe, {
      dir: scratch,
      mirror: opts.mirror ?? process.env.TSIBLE_DEBIAN_MIRROR ?? DEFAULT_MIRROR,
      debCacheDir,
      signal: opts.signal,
      onStep: (detail) => {
        steps += 1;
        opts.progress.step(detail);
      },
    });
    fs.writeFileSync(path.join(opts.cacheDir, STEPS_FILE), String(steps));
    opts.progress.phase('setup', 1);
    await setupRootfs(recipe, scratch, opts.signal);
    opts.progress.step('done');
    await importRootfs(docker, scratch, recipe, opts.progress, opts.signal);
    const built = await docker.getImage(builtinImageRef(recipe)).inspect();
    await tagAs(docker, built.Id, recipe.name);
    opts.progress.done(`built ${recipe.name} (${built.Id.slice(7, 19)}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return built.Id;
  } catch (e) {
    opts.progress.done(`building ${recipe.name} failed`);
    throw e;
  } finally {
    removeScratchRoot(scratch);
  }
}

/** Points a name (BUILTIN_IMAGE: the one users `docker tag` from) at an image. */
export async function tagAs(docker: Docker, id: string, name: string): Promise<void> {
  const [repo, tag] = name.split(':') as [string, string];
  await docker.getImage(id).tag({ repo, tag });
}

/** Unmounts whatever a failed debootstrap left mounted inside the root (proc, sys) before deleting it. */
function removeScratchRoot(dir: string): void {
  const mounts = fs
    .readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  spawnSync('rm', ['-rf', '--one-file-system', dir]);
}
