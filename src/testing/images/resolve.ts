// A platform's `image` made present locally: the built-in image (built once when missing or
// stale), an image already there, or one pulled; else an error saying how to use the built-in one.
import type Docker from 'dockerode';
import { TsibleError } from '../../errors';
import type { BuildProgress } from './progress';
import { BUILTIN_IMAGE, builtinImageRef, isBuiltinImage } from './recipe';
import { ensureBaseImage } from './store';

export interface ResolveOptions {
  platform: string;
  progress: BuildProgress;
  log: (line: string) => void;
  /** Pull even when the image is present (Molecule's `pull: true`). */
  pull?: boolean;
  signal?: AbortSignal;
}

export interface ResolvedImage {
  /** What to pass as the container's Image. */
  ref: string;
  config: { Cmd?: string[] | null; Entrypoint?: string[] | string | null };
}

async function pull(docker: Docker, image: string): Promise<void> {
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, events: Array<{ error?: string }>) => {
      const failed = err?.message ?? events.find((e) => e.error)?.error;
      if (failed) reject(new Error(failed));
      else resolve();
    }),
  );
}

function missingImage(image: string, platform: string, why: string): TsibleError {
  return new TsibleError(
    'IMAGE',
    [
      `image '${image}' of platform '${platform}' is not present locally and could not be pulled (${why}).`,
      `To run this platform on tsible's built-in Debian 12 image with systemd, either set 'image: ${BUILTIN_IMAGE}',`,
      `or give the built-in image this name: tsible test image build && docker tag ${BUILTIN_IMAGE} ${image}`,
    ].join('\n'),
  );
}

export async function resolveImage(docker: Docker, image: string, opts: ResolveOptions): Promise<ResolvedImage> {
  if (isBuiltinImage(image)) {
    await ensureBaseImage(docker, { progress: opts.progress, log: opts.log, signal: opts.signal });
    image = builtinImageRef();
  } else {
    const present = await docker.getImage(image).inspect().then(() => true, () => false);
    if (!present || opts.pull) {
      try {
        opts.log(`pulling ${image}`);
        await pull(docker, image);
      } catch (e) {
        if (!present) throw missingImage(image, opts.platform, (e as Error).message.trim());
        opts.log(`could not pull ${image}, using the local one: ${(e as Error).message.trim()}`);
      }
    }
  }
  const info = await docker.getImage(image).inspect();
  return { ref: image, config: { Cmd: info.Config?.Cmd, Entrypoint: info.Config?.Entrypoint as string[] | string | null | undefined } };
}
