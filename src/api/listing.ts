// --list-hosts / --list-tasks / --list-tags / --syntax-check: describes plays as data
// for the listing formatter (tags filtered as a run would filter them).
import type { Inventory } from '../inventory';
import { effectiveTags } from '../executor/inherit';
import { shouldRunTags } from '../executor/tags';
import type { Block, Playbook, Task } from '../playbook/model';
import { formatPlaybookListing, type ListedPlay, type ListedTask } from '../reporting/listing';
import { pyStr } from '../template/pyvalues';
import type { TemplarApi } from '../template/types';
import type { RunOptions } from './types';

function tasksOf(nodes: (Task | Block)[]): Task[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [n] : tasksOf([...n.block, ...n.rescue, ...n.always])));
}

export function listPlaybook(
  playbooks: Playbook[],
  inventory: Inventory,
  options: RunOptions,
  templar: (vars: Record<string, unknown>) => TemplarApi,
): string {
  let out = '';
  for (const [index, pb] of playbooks.entries()) {
    const plays: ListedPlay[] = pb.plays.map((play) => {
      const t = templar({ ...play.vars, ...Object.assign({}, ...options.extraVars) });
      const pattern = t.template(play.hostsPattern);
      const patterns = Array.isArray(pattern) ? pattern.map(pyStr) : pyStr(pattern).split(',');
      const hosts = inventory.resolvePattern(patterns).map((h) => h.name);
      // templated tags (`tags: "{{ list_var }}"`) are listed as their value, as Ansible evaluates them
      const tagsOf = (task: Task): string[] =>
        effectiveTags(task, play).flatMap((tag) => {
          if (!String(tag).includes('{{')) return [tag];
          const v = t.withVars({ ...task.vars }).template(tag);
          return Array.isArray(v) ? v.map(pyStr) : [pyStr(v)];
        });
      const tasks: ListedTask[] = tasksOf([...play.preTasks, ...play.tasks, ...play.postTasks])
        .filter((task) => shouldRunTags(tagsOf(task), { only: options.tags, skip: options.skipTags }))
        .map((task) => ({
          // an unnamed task shows its action alone, even inside a role (Ansible's listing)
          name: task.role && task.name ? `${task.role.name} : ${task.name}` : task.name ?? task.actionAsWritten,
          tags: tagsOf(task),
        }));
      return { name: play.name || patterns.join(','), pattern: patterns, tags: play.tags.map(String), hosts, tasks };
    });
    // the playbook is named as given on the command line
    out += formatPlaybookListing(options.playbooks[index] ?? pb.file, plays, {
      listHosts: options.listHosts,
      listTasks: options.listTasks,
      listTags: options.listTags,
    });
  }
  return out;
}
