// The local cache of the built-in image: is it there and current (its recipe label matches),
// build it once when not (one build at a time on a machine, others wait), list and remove it.
import type Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TsibleError } from '../../errors';
import { buildBaseImage, tagAs } from './build';
import type { BuildProgress } from './progress';
import { BASE_RECIPE, BUILT_BY_LABEL, builtinImageRef, RECIPE_LABEL, recipeHash, type ImageRecipe } from './recipe';

export interface TsibleImage {
  id: string;
  tags: string[];
  created: Date;
  sizeBytes: number;
  recipe?: string;
  /** Built from the recipe of this tsible version. */
  current: boolean;
}

export interface EnsureOptions {
  progress: BuildProgress;
  cacheDir?: string;
  /** Build even when a current image exists. */
  rebuild?: boolean;
  signal?: AbortSignal;
  /** Told once when this process waits for another one's build. */
  log?: (line: string) => void;
  /** The base recipe unless given (tests build smaller ones). */
  recipe?: ImageRecipe;
}

/** $TSIBLE_CACHE_DIR, else $XDG_CACHE_HOME/tsible, else ~/.cache/tsible. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TSIBLE_CACHE_DIR) return env.TSIBLE_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'tsible');
}

/** The images tsible built (label org.tsible.image), newest first. */
export async function listTsibleImages(docker: Docker): Promise<TsibleImage[]> {
  const want = recipeHash();
  const images = await docker.listImages({ filters: { label: [BUILT_BY_LABEL] } });
  return images
    .map((i) => ({
      id: i.Id,
      tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      created: new Date(i.Created * 1000),
      sizeBytes: i.Size,
      recipe: i.Labels?.[RECIPE_LABEL],
      current: i.Labels?.[RECIPE_LABEL] === want,
    }))
    .sort((a, b) => b.created.getTime() - a.created.getTime());
}

/** The id of the image of this recipe when it is present; the recipe's plain name is moved onto it. */
export async function currentBaseImage(docker: Docker, recipe: ImageRecipe = BASE_RECIPE): Promise<string | undefined> {
  const info = await docker.getImage(builtinImageRef(recipe)).inspect().catch(() => undefined);
  if (!info || info.Config?.Labels?.[RECIPE_LABEL] !== recipeHash(recipe)) return undefined;
  const named = await docker.getImage(recipe.name).inspect().catch(() => undefined);
  if (named?.Id !== info.Id) await tagAs(docker, info.Id, recipe.name);
  return info.Id;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the machine-wide build lock, waiting while a live process holds it. */
async function lock(file: string, opts: EnsureOptions): Promise<() => void> {
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number(fs.readFileSync(file, 'utf8').trim());
    if (!holder || !pidAlive(holder)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (!told) opts.log?.(`image: waiting for the image build of process ${holder}`);
    told = true;
    if (opts.signal?.aborted) throw new TsibleError('INTERRUPTED', 'interrupted while waiting for the image build');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Returns the current built-in image's id, building it first when it is missing or stale. */
export async function ensureBaseImage(docker: Docker, opts: EnsureOptions): Promise<{ id: string; built: boolean }> {
  const recipe = opts.recipe ?? BASE_RECIPE;
  if (!opts.rebuild) {
    const id = await currentBaseImage(docker, recipe);
    if (id) return { id, built: false };
  }
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  fs.mkdirSync(cacheDir, { recursive: true });
  const release = await lock(path.join(cacheDir, 'build.lock'), opts);
  try {
    // another process may have built it while this one waited
    const id = opts.rebuild ? undefined : await currentBaseImage(docker, recipe);
    if (id) return { id, built: false };
    return { id: await buildBaseImage(docker, { progress: opts.progress, cacheDir, signal: opts.signal, recipe }), built: true };
  } finally {
    release();
  }
}

/** Removes tsible's images; one still used by a container is left, and named in the result. */
export async function removeTsibleImages(docker: Docker): Promise<{ removed: string[]; inUse: string[] }> {
  const removed: string[] = [];
  const inUse: string[] = [];
  for (const image of await listTsibleImages(docker)) {
    const name = image.tags[0] ?? image.id.slice(7, 19);
    try {
      // untag each name first: removing one of several tags would only untag
      for (const tag of image.tags.slice(1)) await docker.getImage(tag).remove({ noprune: true });
      await docker.getImage(image.tags[0] ?? image.id).remove();
      removed.push(name);
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 409) inUse.push(name);
      else throw e;
    }
  }
  return { removed, inUse };
}
