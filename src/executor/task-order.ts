// The linear strategy's lockstep order (ansible-core 2.14's PlayIterator.all_tasks): every task
// of a section in written order (block, rescue, always), with included tasks spliced in after
// the include; the next task to run is the first from the current position that a host has next.
import type { Block, Task } from '../playbook/model';

function flatten(items: (Task | Block)[]): Task[] {
  return items.flatMap((i) => (i.kind === 'task' ? [i] : [...flatten(i.block), ...flatten(i.rescue), ...flatten(i.always)]));
}

export class TaskOrder {
  private readonly tasks: Task[];
  private cur = 0;

  constructor(blocks: readonly Block[]) {
    this.tasks = flatten([...blocks]);
  }

  /** Tasks of a dynamic include: they come right after the task that ran last. */
  insert(blocks: Block[]): void {
    this.tasks.splice(this.cur, 0, ...flatten(blocks));
  }

  /** The id of the first task, from the current position on, that is among `next`; wraps around
   *  once (hosts brought back by clear_host_errors may be behind). */
  pick(next: Set<number>): number | undefined {
    for (let pass = 0; pass < 2; pass++) {
      while (this.cur < this.tasks.length) {
        const t = this.tasks[this.cur++] as Task;
        if (next.has(t.id)) return t.id;
      }
      this.cur = 0;
    }
    return undefined;
  }
}
