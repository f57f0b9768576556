// The aggregate callbacks tsible implements (callbacks_enabled / ANSIBLE_CALLBACKS_ENABLED), by the
// names Ansible loads them under, with their options read from the environment and ansible.cfg.
import type { Display } from '../display';
import type { Reporter } from '../types';
import { systemClock, type Clock } from './clock';
import { ProfileRolesReporter } from './profile-roles';
import { ProfileTasksReporter, type ProfileTasksOptions } from './profile-tasks';
import { TimerReporter } from './timer';

export interface CallbackSettings {
  display: Display;
  env: Record<string, string | undefined>;
  /** ansible.cfg entries as "section.key" → value. */
  cfg: Record<string, string>;
  clock?: Clock;
}

type Factory = (s: CallbackSettings & { clock: Clock }) => Reporter;

/** An option: its environment variable wins over its [section] key in ansible.cfg. */
function option(s: CallbackSettings, env: string, section: string, key: string): string | undefined {
  return s.env[env] ?? s.cfg[`${section}.${key}`];
}

class CallbackOptionError extends Error {}

function profileTasksOptions(s: CallbackSettings): ProfileTasksOptions {
  const sort = option(s, 'PROFILE_TASKS_SORT_ORDER', 'callback_profile_tasks', 'sort_order') ?? 'descending';
  if (sort !== 'descending' && sort !== 'ascending' && sort !== 'none') {
    throw new CallbackOptionError(
      `Invalid value "${sort}" for configuration option "plugin_type: callback plugin: ansible_collections.ansible.posix.plugins.callback.profile_tasks setting: sort_order ", valid values are: descending, ascending, none`,
    );
  }
  const limit = option(s, 'PROFILE_TASKS_TASK_OUTPUT_LIMIT', 'callback_profile_tasks', 'task_output_limit') ?? '20';
  if (limit === 'all') return { sortOrder: sort };
  // Python's int(): optional sign, digits, surrounding whitespace, underscores between digits
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(limit)) throw new CallbackOptionError(`invalid literal for int() with base 10: '${limit}'`);
  return { sortOrder: sort, outputLimit: Number.parseInt(limit.replace(/_/g, ''), 10) };
}

const profileTasks: Factory = (s) => new ProfileTasksReporter(s.display, profileTasksOptions(s), s.clock);
const profileRoles: Factory = (s) => new ProfileRolesReporter(s.display, s.clock);
const timer: Factory = (s) => new TimerReporter(s.display, s.clock);

/** Each callback under every name that loads it (short names are redirected to ansible.posix in 2.14). */
const CALLBACKS: Record<string, { canonical: string; create: Factory }> = {
  profile_tasks: { canonical: 'ansible.posix.profile_tasks', create: profileTasks },
  'ansible.posix.profile_tasks': { canonical: 'ansible.posix.profile_tasks', create: profileTasks },
  profile_roles: { canonical: 'ansible.posix.profile_roles', create: profileRoles },
  'ansible.posix.profile_roles': { canonical: 'ansible.posix.profile_roles', create: profileRoles },
  timer: { canonical: 'ansible.posix.timer', create: timer },
  'ansible.posix.timer': { canonical: 'ansible.posix.timer', create: timer },
};

/**
 * The enabled callbacks in the order they are listed, each once. A name tsible does not know, or
 * bad options, give Ansible's warnings and the callback is skipped; the run goes on.
 */
export function enabledCallbacks(names: string[], settings: CallbackSettings): Reporter[] {
  const clock = settings.clock ?? systemClock;
  const loaded = new Set<string>();
  const out: Reporter[] = [];
  for (const name of names) {
    const cb = CALLBACKS[name];
    if (!cb) {
      settings.display.warning(`Skipping callback plugin '${name}', unable to load`);
      continue;
    }
    if (loaded.has(cb.canonical)) continue;
    loaded.add(cb.canonical);
    try {
      out.push(cb.create({ ...settings, clock }));
    } catch (e) {
      if (!(e instanceof CallbackOptionError)) throw e;
      settings.display.warning(`Skipping callback '${name}', unable to load due to: ${e.message}`);
    }
  }
  return out;
}
