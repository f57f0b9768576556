// Handlers of a play: lookup by name or `listen` topic, per-host notifications, and
// the order in which notified handlers run (definition order).
import type { Block, Play, Task } from '../playbook/model';

function flatten(nodes: (Task | Block)[]): Task[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [n] : flatten([...n.block, ...n.rescue, ...n.always])));
}

export class HandlerRegistry {
  private flat: Task[] = [];
  private flattenedBlocks = -1;
  /** host → handler ids notified and not yet run */
  private readonly notified = new Map<string, Set<number>>();

  constructor(private readonly play: Play) {}

  /** The play's handlers; a role included at run time (include_role) adds its handlers to the play. */
  private get handlers(): Task[] {
    if (this.flattenedBlocks !== this.play.handlers.length) {
      this.flat = flatten(this.play.handlers);
      this.flattenedBlocks = this.play.handlers.length;
    }
    return this.flat;
  }

  /** Handlers a notify name reaches: one by name or "role : name" (the first in the last handler
   * block that has it, as Ansible searches), plus every handler listening to the topic. */
  private matching(name: string, templateName: (t: Task) => string, onUnusable?: (t: Task, e: Error) => void): Task[] {
    let byName: Task | undefined;
    for (const block of [...this.play.handlers].reverse()) {
      byName = flatten([block]).find((h) => {
        let n: string;
        try {
          n = templateName(h);
        } catch (e) {
          // a name that cannot be templated names nothing (Ansible warns when nothing else reaches it)
          if (!h.listen.length) onUnusable?.(h, e as Error);
          return false;
        }
        return n === name || (h.role !== undefined && `${h.role.name} : ${n}` === name);
      });
      if (byName) break;
    }
    const listeners = this.handlers.filter((h) => h.listen.includes(name) && h !== byName);
    return byName ? [byName, ...listeners] : listeners;
  }

  /** Returns false when no handler matches the name (Ansible errors then). */
  notify(host: string, name: string, templateName: (t: Task) => string, onUnusable?: (t: Task, e: Error) => void): boolean {
    const found = this.matching(name, templateName, onUnusable);
    if (!found.length) return false;
    let set = this.notified.get(host);
    if (!set) {
      set = new Set();
      this.notified.set(host, set);
    }
    for (const h of found) set.add(h.id);
    return true;
  }

  /** The next notified handler (definition order) from position `from` on, and the hosts that
   *  notified it. A flush passes over the list once, as Ansible's: a handler notified again
   *  after its turn waits for the next flush. */
  nextPending(hosts: string[], from = 0): { handler: Task; hosts: string[]; index: number } | undefined {
    const list = this.handlers;
    for (let i = from; i < list.length; i++) {
      const h = list[i] as Task;
      const targets = hosts.filter((host) => this.notified.get(host)?.has(h.id));
      if (targets.length) return { handler: h, hosts: targets, index: i };
    }
    return undefined;
  }

  /** A handler has run for these hosts: their notification is spent (one it made of itself too). */
  ran(handler: Task, hosts: string[]): void {
    for (const host of hosts) this.notified.get(host)?.delete(handler.id);
  }

  clear(host: string): void {
    this.notified.delete(host);
  }
}
