// Options of a playbook run: what the CLI (or a program) passes to runPlaybook().
import type { Reporter } from '../reporting/types';
import type { Vault } from '../vault/secrets';

export interface RunOptions {
  playbooks: string[];
  /** Playbook texts by absolute path, read instead of the file (`tsible role` runs a play it writes). */
  inlinePlaybooks?: Record<string, string>;
  inventories: string[]; // -i, repeatable; empty means ansible.cfg's or /etc/ansible/hosts
  limit?: string[]; // -l
  tags: string[]; // -t (comma lists already split)
  skipTags: string[];
  extraVars: Record<string, unknown>[]; // -e, in order (later win)
  check: boolean;
  diff: boolean;
  forks: number;
  verbosity: number;
  listHosts: boolean;
  listTasks: boolean;
  listTags: boolean;
  syntaxCheck: boolean;
  startAtTask?: string;
  step: boolean;
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  remoteUser?: string;
  connection?: string;
  privateKeyFile?: string;
  timeout?: number;
  /** --ssh-common-args / --ssh-extra-args. */
  sshCommonArgs?: string;
  sshExtraArgs?: string;
  flushCache: boolean;
  forceHandlers: boolean;
  /** Settings read from ansible.cfg and ANSIBLE_* variables. */
  config: AnsibleConfig;
  /** Vault secrets (--vault-id, --vault-password-file, --ask-vault-pass). */
  vault?: Vault;
}

export interface AnsibleConfig {
  /** Path of the ansible.cfg that was read, if any. */
  configFile?: string;
  inventory: string[];
  rolesPath: string[];
  forks: number;
  remoteUser?: string;
  hostKeyChecking: boolean;
  stdoutCallback: string; // default | json
  become: boolean;
  becomeUser: string;
  becomeMethod: string;
  becomeAsk: boolean;
  ansibleManaged: string;
  remotePort?: number;
  privateKeyFile?: string;
  timeout: number;
  gathering: 'implicit' | 'explicit' | 'smart';
  forceHandlers: boolean;
  anyErrorsFatal: boolean;
  displaySkippedHosts: boolean;
  displayOkHosts: boolean;
  /** show_custom_stats: set_stats data printed after PLAY RECAP. */
  showCustomStats: boolean;
  /** ANSIBLE_DUPLICATE_YAML_DICT_KEY: what a repeated YAML mapping key does. */
  duplicateYamlDictKey: 'warn' | 'error' | 'ignore';
  noColor: boolean;
  /** [ssh_connection]: OpenSSH arguments and reconnection retries. */
  ssh: { args: string; commonArgs?: string; extraArgs?: string; retries: number };
  /** callbacks_enabled (and the older callback_whitelist): e.g. profile_tasks. */
  callbacksEnabled: string[];
  /** Anything else, raw: "defaults.some_key" → value. */
  raw: Record<string, string>;
}

export interface RunResult {
  exitCode: number;
  /** Text of --list-hosts / --list-tasks / --list-tags / --syntax-check, for the CLI to print. */
  listing?: string;
}

export type RunPlaybook = (options: RunOptions, reporter: Reporter) => Promise<RunResult>;
