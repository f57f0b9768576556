// Text of a failed step, from structured results: which task changed on the second converge
// (role, name, file:line, host, diff) or which task/assert failed on which host, with its msg.
import { formatDiff } from '../../reporting';
import type { ChangedTask, FailedTask, TaskRef } from '../results';

function describeTask(t: TaskRef): string {
  const role = t.role ? ` of role '${t.role}'` : '';
  const where = t.path ? ` (${t.path})` : '';
  return `${t.handler ? 'handler' : 'task'} '${t.name}'${role}${where}`;
}

function itemText(item: unknown): string {
  if (item === undefined) return '';
  return ` item=${typeof item === 'string' ? item : JSON.stringify(item)}`;
}

function indent(text: string, by: string): string {
  return text.replace(/\n$/, '').split('\n').map((l) => (l ? by + l : l)).join('\n');
}

/** "Idempotence test failed" report: every changed task with its host and diff. */
export function idempotenceReport(changed: readonly ChangedTask[], color: boolean): string {
  const lines = [`Idempotence test failed: ${changed.length} task result(s) changed on the second converge:`];
  for (const c of changed) {
    lines.push(`  * [${c.host}] ${describeTask(c.task)}${itemText(c.item)} changed`);
    const diff = c.diff === undefined ? '' : formatDiff(c.diff, color);
    if (diff.trim()) lines.push(indent(diff, '      '));
    else lines.push('      (the module reported no diff)');
  }
  return lines.join('\n');
}

/** Failed tasks of a step: for asserts the failed condition, for every task its msg. */
export function failureReport(step: string, failures: readonly FailedTask[]): string {
  const lines = [`${step} failed: ${failures.length} task(s) failed:`];
  for (const f of failures) {
    const kind = f.unreachable ? 'unreachable' : f.task.action === 'assert' ? 'assert failed' : 'failed';
    lines.push(`  * [${f.host}] ${describeTask(f.task)}${itemText(f.item)} ${kind}`);
    if (f.assertion) lines.push(`      assertion: ${f.assertion}`);
    if (f.msg) lines.push(indent(`msg: ${f.msg}`, '      '));
  }
  return lines.join('\n');
}
