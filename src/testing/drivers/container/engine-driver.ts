// A Driver on a Docker-compatible Engine API (dockerd, or podman's service): a network per run,
// one container per platform (created in parallel, reused when already running), and destroy
// that removes everything labelled with the run and fails when something stays.
import type Docker from 'dockerode';
import { TsibleError } from '../../../errors';
import { lineProgress, type BuildProgress } from '../../images/progress';
import { resolveImage } from '../../images/resolve';
import type { Driver, DriverRun, Instance, Platform } from '../types';
import { containerName, platformNetworkName, RUN_LABEL, runLabels, runNetworkName } from './names';
import { CONTAINER_PLATFORM_KEYS, planPlatform, type PlatformPlan } from './platform';
import { waitUntilReady } from './readiness';
import { removeRun } from './teardown';

export interface EngineDriverOptions {
  name: string;
  docker: Docker;
  /** The CLI whose `exec -it` opens a login shell (docker, podman). */
  cli: string;
  /** Host variables every instance gets besides ansible_connection/ansible_host. */
  hostVars?: Record<string, unknown>;
  /** How an image build reports progress (lines through run.log unless given). */
  progress?: (run: DriverRun) => BuildProgress;
}

function apiError(e: unknown): string {
  const json = (e as { json?: { message?: string } }).json;
  return json?.message ?? (e instanceof Error ? e.message : String(e));
}

export class EngineDriver implements Driver {
  readonly name: string;
  readonly platformKeys = CONTAINER_PLATFORM_KEYS;
  private readonly docker: Docker;
  private privilegedProbe?: Promise<boolean>;

  constructor(private readonly opts: EngineDriverOptions) {
    this.name = opts.name;
    this.docker = opts.docker;
  }

  async create(platforms: readonly Platform[], run: DriverRun): Promise<Instance[]> {
    const network = await this.ensureNetwork(runNetworkName(run.runId), run.runId);
    return Promise.all(platforms.map((p) => this.createOne(p, run, network)));
  }

  async destroy(_platforms: readonly Platform[], run: DriverRun): Promise<void> {
    await removeRun(this.docker, run.runId);
  }

  loginCommand(instance: Instance, _run?: DriverRun): string[] {
    const container = String(instance.hostVars.ansible_host ?? instance.name);
    return [this.opts.cli, 'exec', '-it', container, '/bin/sh', '-c', 'command -v bash >/dev/null && exec bash -l || exec sh -l'];
  }

  private async ensureNetwork(name: string, runId: string): Promise<string> {
    const existing = await this.docker.getNetwork(name).inspect().catch(() => undefined);
    if (existing) {
      if (existing.Labels?.[RUN_LABEL] !== runId) throw new TsibleError('DRIVER', `network '${name}' exists and was not created for this run`);
      return name;
    }
    await this.docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: runLabels(runId) }).catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 409) throw new TsibleError('DRIVER', `could not create network '${name}': ${apiError(e)}`);
    });
    return name;
  }

  /** Whether this Engine starts privileged containers (some hosts refuse: "unable to apply caps"). */
  private privilegedAllowed(image: string, run: DriverRun): Promise<boolean> {
    this.privilegedProbe ??= (async () => {
      const probe = await this.docker.createContainer({
        name: containerName(run.runId, 'privileged-probe'),
        Image: image,
        Entrypoint: ['/bin/true'],
        Cmd: [],
        Labels: runLabels(run.runId),
        HostConfig: { Privileged: true, NetworkMode: 'none' },
      });
      try {
        await probe.start();
        return true;
      } catch {
        return false;
      } finally {
        await probe.remove({ force: true }).catch(() => undefined);
      }
    })();
    return this.privilegedProbe;
  }

  private async createOne(p: Platform, run: DriverRun, network: string): Promise<Instance> {
    const name = containerName(run.runId, p.name);
    const existing = await this.docker.getContainer(name).inspect().catch(() => undefined);
    if (existing && existing.Config.Labels?.[RUN_LABEL] !== run.runId) {
      throw new TsibleError('DRIVER', `platform '${p.name}': a container named ${name} exists and was not created for this run`);
    }
    let systemd = (existing?.Config as { StopSignal?: string } | undefined)?.StopSignal === 'SIGRTMIN+3';
    if (!existing) {
      const plan = await this.plan(p, run, network);
      for (const n of plan.notices) run.log(n);
      this.checkAborted(run);
      await this.createContainer(plan, run);
      systemd = plan.systemd;
      // a destroy that ran while this request was in flight did not see this container
      if (run.signal?.aborted) {
        await this.docker.getContainer(name).remove({ force: true, v: true }).catch(() => undefined);
        this.checkAborted(run);
      }
    } else if (!existing.State.Running) {
      await this.docker.getContainer(name).start();
    }
    const notice = await waitUntilReady(this.docker, name, p.name, systemd);
    if (notice) run.log(notice);
    const info = await this.docker.getContainer(name).inspect();
    const address = info.NetworkSettings.Networks?.[network]?.IPAddress || undefined;
    return {
      name: p.name,
      hostVars: { ansible_connection: 'community.docker.docker', ansible_host: name, ...this.opts.hostVars },
      address,
    };
  }

  private checkAborted(run: DriverRun): void {
    if (run.signal?.aborted) throw new TsibleError('INTERRUPTED', 'interrupted while creating the instances');
  }

  private async plan(p: Platform, run: DriverRun, network: string): Promise<PlatformPlan> {
    if (typeof p.image !== 'string' || !p.image) throw new TsibleError('DRIVER', `platform '${p.name}': 'image' is required`);
    const image = await resolveImage(this.docker, p.image, {
      platform: p.name,
      progress: this.opts.progress?.(run) ?? lineProgress(run.log),
      log: run.log,
      pull: p.pull === true,
      signal: run.signal,
    });
    const privilegedAllowed = p.privileged === true ? await this.privilegedAllowed(image.ref, run) : false;
    return planPlatform(p, { runId: run.runId, scenarioDir: run.scenarioDir, network, image: image.ref, imageConfig: image.config, privilegedAllowed });
  }

  private async createContainer(plan: PlatformPlan, run: DriverRun): Promise<void> {
    for (const v of plan.volumes) await this.docker.createVolume({ Name: v, Labels: runLabels(run.runId) });
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(plan.create);
    } catch (e) {
      throw new TsibleError('DRIVER', `platform '${plan.platform.name}': could not create container ${plan.container}: ${apiError(e)}`);
    }
    for (const ref of plan.networks) {
      const scoped = await this.platformNetwork(ref.name, run.runId);
      await this.docker.getNetwork(scoped).connect({
        Container: container.id,
        EndpointConfig: { Aliases: [plan.platform.name, ...ref.aliases], IPAMConfig: ref.ipv4Address ? { IPv4Address: ref.ipv4Address } : undefined },
      });
    }
    try {
      await container.start();
    } catch (e) {
      throw new TsibleError('DRIVER', `platform '${plan.platform.name}': could not start container ${plan.container}: ${apiError(e)}`);
    }
  }

  /** A network named in `networks:`: an existing one of that exact name is joined, else a run-scoped one is made. */
  private async platformNetwork(name: string, runId: string): Promise<string> {
    const external = await this.docker.getNetwork(name).inspect().catch(() => undefined);
    if (external && external.Labels?.[RUN_LABEL] === undefined) return name;
    return this.ensureNetwork(platformNetworkName(runId, name), runId);
  }
}
