// The docker driver of `tsible test` and `tsible lab`: Molecule's docker platforms on the Docker
// Engine named by DOCKER_HOST (the local socket by default), reached with the docker connection.
import { engineClient } from '../../connection/docker/endpoint';
import { EngineDriver } from './container/engine-driver';
import type { BuildProgress } from '../images/progress';
import type { DriverRun } from './types';

export interface DockerDriverOptions {
  env?: NodeJS.ProcessEnv;
  /** How a build of the built-in image shows progress (lines through run.log by default). */
  progress?: (run: DriverRun) => BuildProgress;
}

export function dockerDriver(opts: DockerDriverOptions = {}): EngineDriver {
  return new EngineDriver({ name: 'docker', docker: engineClient({}, opts.env ?? process.env), cli: 'docker', progress: opts.progress });
}
