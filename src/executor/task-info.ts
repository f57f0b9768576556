// The reporter's view of a task: banner name ("role : name"), action, tags.
import type { Play, Task } from '../playbook/model';
import type { TaskInfo } from '../reporting/types';
import { effectiveTags, keyword } from './inherit';

export function bannerName(task: Task): string {
  // include_role names itself "include_role : NAME" and never takes its role's prefix
  if (task.action === 'include_role') return task.name ?? `${task.actionAsWritten} : ${String(task.args.name ?? task.args.role)}`;
  const name = task.name ?? task.actionAsWritten;
  return task.role ? `${task.role.name} : ${name}` : name;
}

export function taskInfo(task: Task, play?: Play): TaskInfo {
  return {
    name: bannerName(task),
    action: task.action,
    path: task.location ? `${task.location.file}:${task.location.line}` : undefined,
    role: task.role?.name,
    isHandler: task.isHandler,
    noLog: isTrue(keyword(task, 'noLog', play)),
    tags: effectiveTags(task, play),
    loop: task.loop !== undefined,
    id: task.id,
    actionAsWritten: task.actionAsWritten,
  };
}

function isTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && /^(yes|true|on|1)$/i.test(v));
}
