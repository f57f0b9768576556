// The scenario model: molecule.yml after environment substitution, merged over Molecule's
// defaults and normalised (legacy provisioner keys and the newer `ansible:` section alike).
import type { Platform } from '../drivers/types';

export const PLAYBOOK_NAMES = ['create', 'prepare', 'converge', 'side_effect', 'verify', 'cleanup', 'destroy'] as const;
export type PlaybookName = (typeof PLAYBOOK_NAMES)[number];

/** The steps of a sequence, as Molecule names them in molecule.yml. */
export const STEP_NAMES = [
  'dependency', 'cleanup', 'destroy', 'syntax', 'create', 'prepare', 'converge', 'idempotence', 'side_effect',
  'verify', 'check', 'lint',
] as const;
export type StepName = (typeof STEP_NAMES)[number];

export type SequenceName = 'test' | 'check' | 'converge' | 'create' | 'destroy' | 'cleanup';

export interface ScenarioConfig {
  name: string;
  driver: {
    name: string;
    /** driver.options.managed: false means create/destroy are the user's business. */
    managed: boolean;
    connectionOptions: Record<string, unknown>;
    loginCmdTemplate?: string;
  };
  platforms: Platform[];
  provisioner: {
    env: Record<string, string>;
    /** ansible.cfg sections: {defaults: {...}, ssh_connection: {...}} */
    configOptions: Record<string, Record<string, unknown>>;
    /** Playbook overrides, absolute paths. */
    playbooks: Partial<Record<PlaybookName, string>>;
    /** ansible-playbook options as Molecule gives them (become, diff, vvv, skip-tags, extra-vars...). */
    options: Record<string, unknown>;
    ansibleArgs: string[];
    connectionOptions: Record<string, unknown>;
    inventory: {
      hosts: Record<string, unknown>;
      hostVars: Record<string, unknown>;
      groupVars: Record<string, unknown>;
      links: Record<string, string>;
    };
    log: boolean;
  };
  sequences: Record<SequenceName, StepName[]>;
  verifier: { name: string; enabled: boolean; env: Record<string, string>; options: Record<string, unknown> };
  dependency: { name: string; enabled: boolean; options: Record<string, unknown>; env: Record<string, string> };
  /** The merged configuration as a plain value (written to MOLECULE_FILE for molecule_yml). */
  raw: Record<string, unknown>;
}

/** Molecule's default sequences. */
export const DEFAULT_SEQUENCES: Record<SequenceName, StepName[]> = {
  test: ['dependency', 'cleanup', 'destroy', 'syntax', 'create', 'prepare', 'converge', 'idempotence', 'side_effect', 'verify', 'cleanup', 'destroy'],
  check: ['dependency', 'cleanup', 'destroy', 'create', 'prepare', 'converge', 'check', 'cleanup', 'destroy'],
  converge: ['dependency', 'create', 'prepare', 'converge'],
  create: ['dependency', 'create', 'prepare'],
  destroy: ['dependency', 'cleanup', 'destroy'],
  cleanup: ['cleanup'],
};

/** ansible.cfg settings Molecule writes for every scenario. */
export const DEFAULT_CONFIG_OPTIONS: Record<string, Record<string, unknown>> = {
  defaults: { display_failed_stderr: true, forks: 50, retry_files_enabled: false, host_key_checking: false, nocows: 1, interpreter_python: 'auto_silent' },
  ssh_connection: { scp_if_ssh: true },
};
