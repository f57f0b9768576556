// The timing callbacks with a clock the test drives: exact figures, padding, sorting and options
// (the golden cases in test/callbacks compare with ansible-playbook with the clock masked).
import { Display } from '../display';
import { Capture } from '../testing';
import type { TaskInfo } from '../types';
import { enabledCallbacks } from '.';
import { filled, secondsToStr, strftimeLong, type Clock } from './clock';

class FakeClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

const task = (id: number, name: string, extra: Partial<TaskInfo> = {}): TaskInfo => ({ id, name, action: 'command', isHandler: false, noLog: false, tags: [], ...extra });

function setup(names: string[], env: Record<string, string> = {}, verbosity = 0) {
  const out = new Capture();
  const err = new Capture();
  const clock = new FakeClock(Date.UTC(2026, 0, 2, 3, 4, 5));
  const display = new Display({ out, err, verbosity, color: false });
  const reporters = enabledCallbacks(names, { display, env, cfg: {}, clock });
  const emit = (f: (r: (typeof reporters)[number]) => void) => reporters.forEach(f);
  return { out, err, clock, reporters, emit };
}

test('durations and the filled line as profile_tasks formats them', () => {
  expect(secondsToStr(0.0934)).toBe('0:00:00.093');
  expect(secondsToStr(3725.5)).toBe('1:02:05.500');
  expect(filled('')).toBe(`${'='.repeat(0)}${'*'.repeat(79)} `);
  expect(filled('x'.repeat(80))).toBe(`${'x'.repeat(80)} *** `);
  expect(strftimeLong(Date.UTC(2026, 11, 5, 15, 8, 7))).toMatch(/^Saturday 05 December 2026  \d\d:08:07 [+-]\d{4}$/);
});

test('profile_tasks: a line per task, sums over batches, descending summary with paths at -vv', () => {
  const { out, clock, emit } = setup(['profile_tasks'], {}, 2);
  const a = task(1, 'first', { path: '/p/play.yml:3' });
  const b = task(2, 'second', { path: '/p/play.yml:5' });
  clock.advance(0.1);
  emit((r) => r.onTaskStart?.(a));
  clock.advance(1.234);
  emit((r) => r.onTaskStart?.(b));
  clock.advance(2);
  // the same task again (the next serial batch): its time adds up
  emit((r) => r.onTaskStart?.({ ...a }));
  clock.advance(1.5);
  emit((r) => r.onPlaybookEnd?.({ hosts: {} }));
  const lines = out.text.split('\n');
  expect(lines[0]).toMatch(/^\w+ 02 January 2026  \d\d:04:05 [+-]\d{4} \(0:00:00\.100\)       0:00:00\.100 \*+ $/);
  expect(lines[1]).toMatch(/\(0:00:01\.234\)       0:00:01\.334 \*+ $/);
  expect(lines[4]).toBe(`${'='.repeat(79)} `);
  expect(lines.slice(5)).toEqual([
    `first ${'-'.repeat(67)} 2.73s`,
    `/p/play.yml:3 ${'-'.repeat(65)}`,
    `second ${'-'.repeat(66)} 2.00s`,
    `/p/play.yml:5 ${'-'.repeat(65)}`,
    '',
  ]);
  for (const l of lines.slice(0, 4)) expect(l.length).toBe(80);
});

test('profile_tasks options: ascending, a limit, "all", a negative limit as a Python slice, stable ties', () => {
  const run = (env: Record<string, string>) => {
    const { out, clock, emit } = setup(['ansible.posix.profile_tasks'], env);
    for (const [i, secs] of [1, 3, 1, 2].entries()) {
      emit((r) => r.onTaskStart?.(task(i, `t${i}`)));
      clock.advance(secs);
    }
    emit((r) => r.onPlaybookEnd?.({ hosts: {} }));
    return out.text.split('\n').filter((l) => /^t\d /.test(l)).map((l) => l.split(' ')[0]);
  };
  expect(run({})).toEqual(['t1', 't3', 't0', 't2']);
  expect(run({ PROFILE_TASKS_SORT_ORDER: 'ascending' })).toEqual(['t0', 't2', 't3', 't1']);
  expect(run({ PROFILE_TASKS_SORT_ORDER: 'none', PROFILE_TASKS_TASK_OUTPUT_LIMIT: '2' })).toEqual(['t0', 't1']);
  expect(run({ PROFILE_TASKS_TASK_OUTPUT_LIMIT: 'all' })).toEqual(['t1', 't3', 't0', 't2']);
  expect(run({ PROFILE_TASKS_TASK_OUTPUT_LIMIT: '-1' })).toEqual(['t1', 't3', 't0']);
});

test('profile_roles groups by role (else the action as written) and prints the total; timer counts whole seconds', () => {
  const { out, clock, emit } = setup(['profile_roles', 'timer', 'ansible.posix.timer']);
  emit((r) => r.onTaskStart?.(task(1, 'web : a', { role: 'web', actionAsWritten: 'ansible.builtin.copy' })));
  clock.advance(2);
  emit((r) => r.onTaskStart?.(task(2, 'b', { actionAsWritten: 'ansible.builtin.command' })));
  clock.advance(3.5);
  emit((r) => r.onTaskStart?.(task(3, 'web : c', { role: 'web' })));
  clock.advance(3725);
  emit((r) => r.onPlaybookEnd?.({ hosts: {} }));
  const tail = out.text.split('\n').slice(5);
  expect(tail).toEqual([
    `web ${'-'.repeat(66)} 3727.00s`,
    `ansible.builtin.command ${'-'.repeat(49)} 3.50s`,
    `${'~'.repeat(79)} `,
    `total ${'-'.repeat(64)} 3730.50s`,
    'Playbook run took 0 days, 1 hours, 2 minutes, 10 seconds',
    '',
  ]);
});

test('unknown callbacks and bad options are skipped with Ansible warnings', () => {
  const { err, reporters } = setup(['nosuch', 'profile_tasks', 'timer'], { PROFILE_TASKS_TASK_OUTPUT_LIMIT: 'x' });
  expect(reporters).toHaveLength(1);
  expect(err.text).toContain("[WARNING]: Skipping callback plugin 'nosuch', unable to load");
  expect(err.text.replace(/\n/g, ' ')).toContain("Skipping callback 'profile_tasks', unable to load due to: invalid literal for int() with base 10: 'x'");
});
