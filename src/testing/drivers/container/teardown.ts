// Removes everything labelled with a run (containers, then networks, then volumes) and checks
// afterwards that nothing is left: a removal the Engine refuses or leaves half done fails loudly.
import type Docker from 'dockerode';
import { TsibleError } from '../../../errors';
import { RUN_LABEL } from './names';

interface ApiError {
  statusCode?: number;
  json?: { message?: string };
  message?: string;
}

export interface Leftovers {
  containers: string[];
  networks: string[];
  volumes: string[];
}

const describe = (e: unknown): string => {
  const err = e as ApiError;
  return err.json?.message ?? err.message ?? String(e);
};

/** Refusals that a loaded Engine clears by itself a moment later (a removal still in flight). */
function transient(e: unknown): boolean {
  const err = e as ApiError;
  const text = describe(e);
  return (err.statusCode === 409 && /already in progress/i.test(text)) || /has active endpoints|did not receive an exit event/i.test(text);
}

/** Runs a removal; a 404 means it is already gone; a transient refusal is retried for a while. */
async function removeWithRetry(what: string, remove: () => Promise<unknown>, deadline: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await remove();
      return;
    } catch (e) {
      if ((e as ApiError).statusCode === 404) return;
      if (!transient(e) || Date.now() > deadline) throw new Error(`could not remove ${what}: ${describe(e)}`);
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
}

/** What the Engine still holds for the run. */
export async function leftovers(docker: Docker, runId: string): Promise<Leftovers> {
  const filters = { label: [`${RUN_LABEL}=${runId}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return {
    containers: containers.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, '')),
    networks: networks.map((n) => n.Name),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

/** Removes the run's containers, networks and volumes; throws naming whatever could not be removed. */
export async function removeRun(docker: Docker, runId: string, patienceMs = 60_000): Promise<void> {
  const deadline = Date.now() + patienceMs;
  const found = await leftovers(docker, runId);
  // every removal is tried, so one refusal does not keep the rest alive
  const errors: string[] = [];
  const attempt = (p: Promise<void>) => p.catch((e: unknown) => void errors.push(describe(e)));
  await Promise.all(
    found.containers.map((c) => attempt(removeWithRetry(`container ${c}`, () => docker.getContainer(c).remove({ force: true, v: true }), deadline))),
  );
  for (const n of found.networks) await attempt(removeWithRetry(`network ${n}`, () => docker.getNetwork(n).remove(), deadline));
  for (const v of found.volumes) await attempt(removeWithRetry(`volume ${v}`, () => docker.getVolume(v).remove(), deadline));
  const left = await leftovers(docker, runId);
  const names = [...left.containers.map((c) => `container ${c}`), ...left.networks.map((n) => `network ${n}`), ...left.volumes.map((v) => `volume ${v}`)];
  if (errors.length || names.length) {
    const still = names.length ? [`still there: ${names.join(', ')}`] : [];
    throw new TsibleError('DRIVER', `destroy of run ${runId} failed: ${[...errors, ...still].join('; ')}`);
  }
}
