// The module contract: an argument spec (as ansible-doc gives it) and a run function
// that probes the target through the connection and changes only what differs.
import type { Connection } from '../connection/types';
import type { Vault } from '../vault/secrets';

export type ArgType = 'str' | 'bool' | 'int' | 'float' | 'path' | 'list' | 'dict' | 'raw' | 'jsonarg' | 'bytes' | 'bits';

export interface ArgDef {
  type?: ArgType; // default 'str' (Ansible's default)
  required?: boolean;
  default?: unknown;
  choices?: readonly unknown[];
  aliases?: readonly string[];
  elements?: ArgType; // for lists
  noLog?: boolean;
  /** Sub-options for dict (or list of dict) arguments. */
  options?: ArgSpec;
}

export type ArgSpec = Record<string, ArgDef>;

export interface ArgConstraints {
  mutuallyExclusive?: readonly (readonly string[])[];
  requiredOneOf?: readonly (readonly string[])[];
  requiredTogether?: readonly (readonly string[])[];
  /** [param, value, requiredParams, anyOf?] as in Ansible's required_if. */
  requiredIf?: readonly (readonly [string, unknown, readonly string[], boolean?])[];
  requiredBy?: Readonly<Record<string, readonly string[]>>;
}

/** What a module returns; same keys as Ansible's module results. */
export type ModuleResult = Record<string, unknown> & {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: unknown;
  diff?: DiffEntry | DiffEntry[];
};

export interface DiffEntry {
  before?: string | Record<string, unknown>;
  after?: string | Record<string, unknown>;
  before_header?: string;
  after_header?: string;
  prepared?: string;
}

/** Files on the controller a module may need (copy src, template src, script). */
export interface ControllerAccess {
  /** Resolves a relative path the way Ansible does for the given kind:
   *  role's files/ or templates/, then the role dir, then the playbook dir. Undefined when missing. */
  findFile(kind: 'files' | 'templates' | 'vars' | 'tasks', relPath: string): string | undefined;
  /** The task's search path, most specific first (role dirs, the task file's dir, the playbook dir). */
  searchDirs?: string[];
  /** The directory of the task's role, when it has one. */
  roleDir?: string;
  /** Renders a template file on the controller with the task's variables (plus extra vars). */
  renderTemplateFile(absPath: string, options?: TemplateFileOptions): string;
  /** Templates a value (string or structure) with the task's variables. */
  template(value: unknown): unknown;
  /** Evaluates a bare Jinja2 expression (as in `when:`). */
  evaluate(expr: string): unknown;
  /** The run's vault secrets (vault-encrypted vars files and copy/template sources). */
  vault?: Vault;
  /** A base setting of ansible.cfg / ANSIBLE_* (e.g. DEFAULT_JINJA2_NATIVE); undefined when unknown. */
  setting?(name: string): unknown;
  /** An option of the target's shell plugin (async_dir, remote_tmp) from host vars, ANSIBLE_*, ansible.cfg. */
  shellOption?(name: string): unknown;
}

export interface TemplateFileOptions {
  /** The template's text when already read (a decrypted vault file); read from the path otherwise. */
  source?: string;
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  newlineSequence?: string;
  variableStartString?: string;
  variableEndString?: string;
  blockStartString?: string;
  blockEndString?: string;
  commentStartString?: string;
  commentEndString?: string;
  extraVars?: Record<string, unknown>;
  /** The destination path, for template_* / ansible_managed variables. */
  dest?: string;
}

export interface ModuleContext {
  conn: Connection;
  /** --check, or check_mode: yes on the task. */
  check: boolean;
  /** --diff, or diff: yes on the task. */
  diff: boolean;
  verbosity: number;
  /** The host's facts (ansible_facts without the ansible_ prefix), possibly empty when not gathered. */
  facts: Record<string, unknown>;
  /** All variables of the host for this task (raw, untemplated). Read-only. */
  vars: Record<string, unknown>;
  controller: ControllerAccess;
  inventoryHostname: string;
  /** Adds a warning shown as [WARNING]: in the output. */
  warn(message: string): void;
  /** Task name and location, for messages. */
  taskName: string;
}

export interface ModuleDef {
  /** Short name: 'file'. FQCNs ansible.builtin.file / ansible.legacy.file resolve automatically. */
  name: string;
  /** Other FQCNs: ['ansible.posix.sysctl', 'community.general.modprobe']. */
  fqcns?: readonly string[];
  spec: ArgSpec;
  constraints?: ArgConstraints;
  /** For modules taking free-form text (command, shell, raw, script): the args key that holds it. */
  freeForm?: boolean;
  /** Module whose free-form line is not split into k=v pairs at all (raw, meta). */
  rawFreeForm?: boolean;
  /** The module never touches the target (debug, assert, fail, set_fact): no connection is opened. */
  controllerOnly?: boolean;
  /** Skip argument validation: the module takes arbitrary keys (set_fact). */
  acceptsAnyArgs?: boolean;
  /** Module supports check mode (Ansible's supports_check_mode); if false it is skipped in check mode. */
  checkMode?: boolean;
  run(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult>;
}
