// The --list-hosts / --list-tasks / --list-tags / --syntax-check text of ansible-playbook,
// built from plain data so the engine only has to describe its plays.
import { pyRepr } from '../template/pyvalues';

export interface ListedTask {
  name: string;
  /** The task's effective tags (its own plus inherited), any order. */
  tags: string[];
}

export interface ListedPlay {
  name: string; // as in PLAY [..]: the hosts pattern when unnamed
  /** The hosts pattern list, e.g. ['all'] or ['web', 'db']. */
  pattern: string[];
  tags: string[];
  hosts: string[];
  tasks: ListedTask[];
}

export interface ListRequest {
  listHosts: boolean;
  listTasks: boolean;
  listTags: boolean;
}

function tagList(tags: Iterable<string>): string {
  return '[' + [...new Set(tags)].sort().join(', ') + ']';
}

/** The text printed for one playbook; with no list flag it is the --syntax-check form. */
export function formatPlaybookListing(playbook: string, plays: ListedPlay[], req: ListRequest): string {
  let out = `\nplaybook: ${playbook}\n`;
  if (!req.listHosts && !req.listTasks && !req.listTags) return out;
  plays.forEach((play, index) => {
    out += `\n  play #${index + 1} (${play.pattern.join(',')}): ${play.name}\tTAGS: ${tagList(play.tags)}\n`;
    if (req.listHosts) {
      out += `    pattern: ${pyRepr(play.pattern)}\n    hosts (${play.hosts.length}):\n`;
      for (const host of play.hosts) out += `      ${host}\n`;
    }
    if (req.listTasks) {
      out += '    tasks:\n';
      for (const task of play.tasks) out += `      ${task.name}\tTAGS: ${tagList(task.tags)}\n`;
    }
    if (req.listTags) {
      const all = play.tasks.flatMap((t) => t.tags);
      out += `      TASK TAGS: ${tagList(all)}\n`;
    }
  });
  return out;
}
