// The parsed, normalised playbook: plays, blocks, tasks and role inclusions.
// Keywords keep their raw (untemplated) values; the executor templates them per host.
import type { SourceLocation } from '../errors';

/** Keywords a task inherits from its blocks, roles and play when it does not set them. */
export interface InheritableKeywords {
  become?: unknown;
  becomeUser?: unknown;
  becomeMethod?: unknown;
  becomeFlags?: unknown;
  becomeExe?: unknown;
  remoteUser?: unknown;
  connection?: unknown;
  environment?: unknown[]; // merged, outermost first
  moduleDefaults?: unknown[]; // module_defaults, outermost first
  ignoreErrors?: unknown;
  ignoreUnreachable?: unknown;
  noLog?: unknown;
  checkMode?: unknown;
  diff?: unknown;
  anyErrorsFatal?: unknown;
  delegateTo?: unknown;
  delegateFacts?: unknown;
  runOnce?: unknown;
  port?: unknown;
  timeout?: unknown;
  throttle?: unknown;
}

/** Where a task came from, for banners ("role : name") and role-relative paths. */
export interface RoleInstance {
  name: string;
  path: string;
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  params: Record<string, unknown>;
  /** Roles this one depends on (meta/main.yml), already instantiated. */
  dependencies: RoleInstance[];
  /** Handlers of the role (parsed blocks). */
  handlers: Block[];
  /** true when role vars/defaults are visible outside the role (import / play roles). */
  publicVars: boolean;
  /** The roles whose vars are in scope for this role's tasks (dependency chain). */
  parent?: RoleInstance;
  /** Loaded as a meta dependency (Ansible gives such roles no ansible_parent_role_names). */
  isDependency?: boolean;
}

export interface Task {
  kind: 'task';
  id: number;
  name?: string;
  action: string; // resolved short module or action name (e.g. 'command', 'include_tasks')
  actionAsWritten: string; // as in the file, e.g. 'ansible.builtin.command'
  args: Record<string, unknown>;
  location?: SourceLocation;
  when: unknown[]; // own conditions only
  tags: unknown[]; // own tags only
  vars: Record<string, unknown>;
  keywords: InheritableKeywords;
  loop?: { kind: 'loop' | 'with'; lookup?: string; value: unknown };
  loopControl?: Record<string, unknown>;
  register?: string;
  notify: string[];
  listen: string[];
  changedWhen?: unknown[];
  failedWhen?: unknown[];
  until?: unknown[];
  retries?: unknown;
  delay?: unknown;
  /** `async`: seconds the job may run in the background (0 or absent: the task runs in the foreground). */
  asyncSeconds?: unknown;
  /** `poll`: seconds between status checks of an async job (0: fire and forget). */
  poll?: unknown;
  isHandler: boolean;
  role?: RoleInstance;
  parent: Block;
  /** Static-include parameters (vars given to import_tasks) - included with precedence "include params". */
  includeParams?: Record<string, unknown>;
}

export interface Block {
  kind: 'block';
  id: number;
  name?: string;
  block: (Task | Block)[];
  rescue: (Task | Block)[];
  always: (Task | Block)[];
  location?: SourceLocation;
  when: unknown[];
  tags: unknown[];
  vars: Record<string, unknown>;
  keywords: InheritableKeywords;
  role?: RoleInstance;
  /** Parent block, or undefined at the top of a section. */
  parent?: Block;
  /** Conditions/tags/vars inherited from an import or include that produced this block. */
  includeParams?: Record<string, unknown>;
  /** Handlers the tasks inside notify when they have no `notify` of their own (an import_tasks' notify, include_tasks' apply). */
  notify?: string[];
  /** When set, tasks of this block belong to an include_role/import_role of this role. */
  isImplicit?: boolean;
}

export interface Play {
  id: number;
  name: string;
  hostsPattern: unknown;
  location?: SourceLocation;
  vars: Record<string, unknown>;
  varsFiles: unknown[];
  roles: RoleInstance[];
  /** Roles (dir + params) loaded into the play so far: a dependency met again is left out. */
  loadedRoles?: Set<string>;
  preTasks: Block[];
  tasks: Block[]; // roles' tasks are prepended here as blocks
  postTasks: Block[];
  handlers: Block[];
  gatherFacts: unknown;
  gatherSubset?: unknown;
  gatherTimeout?: unknown;
  factPath?: unknown;
  serial: unknown;
  strategy: string;
  maxFailPercentage?: unknown;
  forceHandlers?: unknown;
  tags: unknown[];
  when: unknown[];
  keywords: InheritableKeywords;
  /** Directory of the playbook file that holds this play. */
  baseDir: string;
  file: string;
  /** vars given to import_playbook. */
  importVars: Record<string, unknown>;
}

export interface Playbook {
  file: string;
  plays: Play[];
}
