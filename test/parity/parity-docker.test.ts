// The module parity cases run by tsible over the docker connection against a systemd container
// of the built-in image, compared with the same references as the local runs (recorded from
// ansible-playbook 2.14 on this machine). The container shares the host network (the cases'
// HTTP server is on loopback) and one host directory at the same path, where the scratch copies
// and the server's CA files are made. (Not the host's /tmp: systemd empties /tmp at boot.)
import * as fs from 'fs';
import { createPlatforms, ensureTestImage, testRun } from '../support/docker';
import { DOCKER_PARITY_CI, DOCKER_PARITY_DIFFERENT } from './docker-cases';
import { declareParitySuite } from './lib/suite';

const all = process.env.PARITY_DOCKER === 'all';
const scratchBase = '/var/tmp/tsible-docker-test-parity';
let destroy: (() => Promise<void>) | undefined;

declareParitySuite(
  (id) => id.startsWith('modules/') && !(id.slice(8) in DOCKER_PARITY_DIFFERENT) && (all || DOCKER_PARITY_CI.includes(id.slice(8))),
  `module parity over the docker connection (${all ? 'all cases' : `${DOCKER_PARITY_CI.length} cases; PARITY_DOCKER=all runs every case`})`,
  {
    async setup() {
      await ensureTestImage();
      fs.rmSync(scratchBase, { recursive: true, force: true });
      fs.mkdirSync(scratchBase, { recursive: true });
      const run = testRun('parity');
      const created = await createPlatforms(
        [{ name: 'target', image: 'tsible/debian:12', network_mode: 'host', volumes: [`${scratchBase}:${scratchBase}`] }],
        run,
      );
      destroy = created.destroy;
      const container = String(created.instances[0]?.hostVars.ansible_host);
      return { extraArgs: ['-e', `ansible_connection=docker ansible_host=${container}`], scratchBase };
    },
    async teardown() {
      await destroy?.();
      fs.rmSync(scratchBase, { recursive: true, force: true });
    },
  },
);
