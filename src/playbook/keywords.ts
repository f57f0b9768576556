// The keywords Ansible 2.14 accepts on plays, blocks and tasks (everything else on a
// task is its module), and the inheritable ones mapped to our model's field names.

export const TASK_KEYWORDS = new Set([
  'action', 'any_errors_fatal', 'args', 'async', 'become', 'become_exe', 'become_flags', 'become_method',
  'become_user', 'changed_when', 'check_mode', 'collections', 'connection', 'debugger', 'delay', 'delegate_facts',
  'delegate_to', 'diff', 'environment', 'failed_when', 'ignore_errors', 'ignore_unreachable', 'local_action', 'loop',
  'loop_control', 'module_defaults', 'name', 'no_log', 'notify', 'poll', 'port', 'register', 'remote_user', 'retries',
  'run_once', 'tags', 'throttle', 'timeout', 'until', 'vars', 'when', 'listen',
]);

export const BLOCK_KEYWORDS = new Set([
  'block', 'rescue', 'always', 'any_errors_fatal', 'become', 'become_exe', 'become_flags', 'become_method',
  'become_user', 'check_mode', 'collections', 'connection', 'debugger', 'delegate_facts', 'delegate_to', 'diff',
  'environment', 'ignore_errors', 'ignore_unreachable', 'module_defaults', 'name', 'no_log', 'notify', 'port',
  'remote_user', 'run_once', 'tags', 'throttle', 'timeout', 'vars', 'when',
]);

export const PLAY_KEYWORDS = new Set([
  'any_errors_fatal', 'become', 'become_exe', 'become_flags', 'become_method', 'become_user', 'check_mode',
  'collections', 'connection', 'debugger', 'diff', 'environment', 'fact_path', 'force_handlers', 'gather_facts',
  'gather_subset', 'gather_timeout', 'handlers', 'hosts', 'ignore_errors', 'ignore_unreachable', 'max_fail_percentage',
  'module_defaults', 'name', 'no_log', 'order', 'port', 'post_tasks', 'pre_tasks', 'remote_user', 'roles', 'run_once',
  'serial', 'strategy', 'tags', 'tasks', 'throttle', 'timeout', 'vars', 'vars_files', 'vars_prompt',
]);

/** YAML keyword → InheritableKeywords field. */
export const INHERITABLE: Record<string, string> = {
  become: 'become',
  become_user: 'becomeUser',
  become_method: 'becomeMethod',
  become_flags: 'becomeFlags',
  become_exe: 'becomeExe',
  remote_user: 'remoteUser',
  connection: 'connection',
  ignore_errors: 'ignoreErrors',
  ignore_unreachable: 'ignoreUnreachable',
  no_log: 'noLog',
  check_mode: 'checkMode',
  diff: 'diff',
  any_errors_fatal: 'anyErrorsFatal',
  delegate_to: 'delegateTo',
  delegate_facts: 'delegateFacts',
  run_once: 'runOnce',
  port: 'port',
  timeout: 'timeout',
  throttle: 'throttle',
};

/** Actions the executor handles itself (not modules that run against a target). */
export const INCLUDE_ACTIONS = new Set(['include_tasks', 'import_tasks', 'include_role', 'import_role', 'include']);
export const FREE_FORM_ACTIONS = new Set([
  'command', 'shell', 'raw', 'script', 'include_tasks', 'import_tasks', 'include_vars', 'meta', 'include', 'group_by',
  'set_fact', 'add_host', 'win_command', 'win_shell',
]);
