// The module parity cases run by tsible over the docker connection against a systemd container
// of the built-in image, compared with the same references as the local runs (recorded from
// ansible-playbook 2.14 on this machine). The container shares the host network (the cases'
// HTTP server is on loopback) and sees the scratch directories at the same paths.
import * as fs from 'fs';
import * as path from 'path';
import { createPlatforms, ensureTestImage, testRun } from '../support/docker';
import { DOCKER_PARITY_CI, DOCKER_PARITY_DIFFERENT } from './docker-cases';
import { declareParitySuite } from './lib/suite';

const all = process.env.PARITY_DOCKER === 'all';
const scratchRoot = path.join('/var/tmp', 'tsible-docker-test-parity');
let destroy: (() => Promise<void>) | undefined;
let savedTmp: string | undefined;

declareParitySuite(
  (id) => id.startsWith('modules/') && !(id.slice(8) in DOCKER_PARITY_DIFFERENT) && (all || DOCKER_PARITY_CI.includes(id.slice(8))),
  `module parity over the docker connection (${all ? 'all cases' : `${DOCKER_PARITY_CI.length} cases; PARITY_DOCKER=all runs every case`})`,
  {
    async setup() {
      await ensureTestImage();
      fs.rmSync(scratchRoot, { recursive: true, force: true });
      fs.mkdirSync(scratchRoot, { recursive: true });
      // scratch copies and the HTTP server's files land here, visible to the container at the same path
      savedTmp = process.env.TMPDIR;
      process.env.TMPDIR = scratchRoot;
      const run = testRun('parity');
      const created = await createPlatforms(
        [{ name: 'target', image: 'tsible/debian:12', network_mode: 'host', volumes: [`${scratchRoot}:${scratchRoot}`] }],
        run,
      );
      destroy = created.destroy;
      const container = String(created.instances[0]?.hostVars.ansible_host);
      return { extraArgs: ['-e', `ansible_connection=docker ansible_host=${container}`] };
    },
    async teardown() {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      await destroy?.();
      fs.rmSync(scratchRoot, { recursive: true, force: true });
    },
  },
);
