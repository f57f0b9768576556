// The reporter's view of a task: banner name ("role : name"), action, tags.
import type { Play, Task } from '../playbook/model';
import type { TaskInfo } from '../reporting/types';
import { effectiveTags } from './inherit';

export function bannerName(task: Task): string {
  const name = task.name ?? task.actionAsWritten;
  return task.role ? `${task.role.name} : ${name}` : name;
}

export function taskInfo(task: Task, play?: Play): TaskInfo {
  return {
    name: bannerName(task),
    action: task.action,
    path: task.location ? `${task.location.file}:${task.location.line}` : undefined,
    isHandler: task.isHandler,
    noLog: task.keywords.noLog === true || task.keywords.noLog === 'yes',
    tags: effectiveTags(task, play),
  };
}
