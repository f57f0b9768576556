// The driver contract of `tsible test` and `tsible lab`: a driver creates the instances of a
// scenario's platforms, says how the engine reaches each one, and removes them again.

/** One entry of molecule.yml's `platforms`, keys as Molecule spells them (snake_case). */
export type Platform = { name: string } & Record<string, unknown>;

/** What a driver needs to know about the run it serves. */
export interface DriverRun {
  /** Unique, name-safe id of this scenario run; prefixes container, network and volume names. */
  runId: string;
  /** The scenario directory (molecule/<scenario>/). */
  scenarioDir: string;
  /** Where the run keeps its state and generated files (MOLECULE_EPHEMERAL_DIRECTORY). */
  ephemeralDir: string;
  /** Progress and notices, one line each; the harness decides where they go. */
  log(line: string): void;
  /** Aborted on Ctrl-C or when the run is cancelled. */
  signal?: AbortSignal;
}

/** A created instance and how the engine reaches it. */
export interface Instance {
  /** inventory_hostname: the platform's name. */
  name: string;
  /** Host variables of the generated inventory: ansible_connection, ansible_host, ansible_user... */
  hostVars: Record<string, unknown>;
  /** The instance's address on the scenario network, when the driver knows it. */
  address?: string;
}

export interface Driver {
  readonly name: string;
  /** The platform keys this driver reads (besides name/groups/children), for unknown-key warnings. */
  readonly platformKeys?: readonly string[];
  /** Creates the instances (reusing those already running for this run) and says how to reach them. */
  create(platforms: readonly Platform[], run: DriverRun): Promise<Instance[]>;
  /** Removes everything create() made for this run (instances, network, volumes). Idempotent. */
  destroy(platforms: readonly Platform[], run: DriverRun): Promise<void>;
  /** The argv of an interactive shell on the instance, for `tsible test login`. */
  loginCommand(instance: Instance, run: DriverRun): string[];
}
