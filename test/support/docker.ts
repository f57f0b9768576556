// Test helpers for the container tests: the real Docker Engine, the built-in image (built once
// when missing, reused after), and containers made through the docker driver under a test prefix.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { engineClient } from '../../src/connection/docker/endpoint';
import { dockerDriver } from '../../src/testing/drivers/docker';
import type { DriverRun, Instance, Platform } from '../../src/testing/drivers/types';
import { lineProgress } from '../../src/testing/images/progress';
import { ensureBaseImage } from '../../src/testing/images/store';

/** Every container, network and volume the tests make starts with this. */
export const TEST_PREFIX = 'tsible-docker-test';

export const docker = engineClient();

/** The built-in image, built by the first test that needs it when .ci/run has not built it. */
export async function ensureTestImage(): Promise<void> {
  await ensureBaseImage(docker, { progress: lineProgress((l) => process.stderr.write(`${l}\n`)), log: (l) => process.stderr.write(`${l}\n`) });
}

export interface TestRun extends DriverRun {
  lines: string[];
}

export function testRun(suffix: string): TestRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${TEST_PREFIX}-${suffix}-`));
  const lines: string[] = [];
  return { runId: `${TEST_PREFIX}-${suffix}`, scenarioDir: dir, ephemeralDir: dir, log: (l) => lines.push(l), lines };
}

/** Creates platforms with the docker driver; the returned destroy removes them (and the run's dir). */
export async function createPlatforms(platforms: Platform[], run: TestRun): Promise<{ instances: Instance[]; destroy(): Promise<void> }> {
  const driver = dockerDriver();
  const instances = await driver.create(platforms, run);
  return {
    instances,
    destroy: async () => {
      await driver.destroy(platforms, run);
      fs.rmSync(run.scenarioDir, { recursive: true, force: true });
    },
  };
}

/** Names of everything the Engine holds under a prefix (containers, networks, volumes). */
export async function leftovers(prefix: string): Promise<string[]> {
  const containers = (await docker.listContainers({ all: true })).flatMap((c) => c.Names.map((n) => n.replace(/^\//, '')));
  const networks = (await docker.listNetworks()).map((n) => n.Name);
  const volumes = ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name);
  return [...containers, ...networks, ...volumes].filter((n) => n.startsWith(prefix));
}
