// Per-host iteration over a section's blocks: a pure state machine for block /
// rescue / always, failure propagation, and tasks inserted by dynamic includes.
import type { Block, Task } from '../playbook/model';

type Section = 'block' | 'rescue' | 'always';

interface Frame {
  block: Block;
  section: Section;
  index: number;
  /** The block failed (no rescue, or rescue failed): re-raise after `always`. */
  pendingFailure: boolean;
  /** Children inserted for this host only (dynamic includes) replace block.block when set. */
  inserted?: Map<Section, (Task | Block)[]>;
}

export type FailOutcome = 'rescued' | 'failed';

export interface CursorPosition {
  task: Task;
  /** Index of the top-level block: hosts run in lockstep by it. */
  topIndex: number;
  /** Section of the innermost block (tasks before rescue before always). */
  section: Section;
}

export class HostCursor {
  private readonly stack: Frame[] = [];
  private topIndex = -1;
  private done = false;
  /** Set when a failure reached the top: the host has failed. */
  failed = false;

  constructor(private readonly blocks: readonly Block[]) {}

  private children(f: Frame): (Task | Block)[] {
    return f.inserted?.get(f.section) ?? f.block[f.section];
  }

  /** The next task for this host, or null when the section is finished. */
  next(): CursorPosition | null {
    while (!this.done) {
      const frame = this.stack[this.stack.length - 1];
      if (!frame) {
        this.topIndex++;
        const b = this.blocks[this.topIndex];
        if (!b) {
          this.done = true;
          return null;
        }
        this.stack.push({ block: b, section: 'block', index: 0, pendingFailure: false });
        continue;
      }
      const list = this.children(frame);
      const child = list[frame.index];
      if (child === undefined) {
        this.finishSection(frame);
        continue;
      }
      frame.index++;
      if (child.kind === 'block') {
        this.stack.push({ block: child, section: 'block', index: 0, pendingFailure: false });
        continue;
      }
      return { task: child, topIndex: this.topIndex, section: frame.section };
    }
    return null;
  }

  /** Peeks at the next task without consuming it. */
  peek(): CursorPosition | null {
    const saved = this.snapshot();
    const pos = this.next();
    this.restore(saved);
    return pos;
  }

  private snapshot(): { stack: Frame[]; topIndex: number; done: boolean; failed: boolean } {
    return { stack: this.stack.map((f) => ({ ...f })), topIndex: this.topIndex, done: this.done, failed: this.failed };
  }

  private restore(s: { stack: Frame[]; topIndex: number; done: boolean; failed: boolean }): void {
    this.stack.length = 0;
    this.stack.push(...s.stack);
    this.topIndex = s.topIndex;
    this.done = s.done;
    this.failed = s.failed;
  }

  private finishSection(frame: Frame): void {
    if (frame.section !== 'always' && frame.block.always.length) {
      frame.section = 'always';
      frame.index = 0;
      return;
    }
    this.stack.pop();
    if (frame.pendingFailure) this.propagate();
  }

  /** Tasks of a dynamic include for this host: they run next, inside the current block. */
  insert(items: (Task | Block)[]): void {
    const frame = this.stack[this.stack.length - 1];
    if (!frame || !items.length) return;
    const current = this.children(frame);
    const updated = [...current.slice(0, frame.index), ...items, ...current.slice(frame.index)];
    if (!frame.inserted) frame.inserted = new Map();
    frame.inserted.set(frame.section, updated);
  }

  /** The current task failed (not ignored). Returns whether a rescue section takes over now. */
  fail(): FailOutcome {
    // Ansible counts a failure as rescued when any enclosing block is still in its
    // tasks section and has a rescue, even if inner always sections run first.
    const rescuing = this.stack.some((f) => f.section === 'block' && f.block.rescue.length > 0);
    const outcome = this.unwind();
    return rescuing ? 'rescued' : outcome;
  }

  private unwind(): FailOutcome {
    const frame = this.stack[this.stack.length - 1];
    if (!frame) return this.hostFailed();
    if (frame.section === 'block' && frame.block.rescue.length) {
      frame.section = 'rescue';
      frame.index = 0;
      return 'rescued';
    }
    if (frame.section !== 'always' && frame.block.always.length) {
      frame.section = 'always';
      frame.index = 0;
      frame.pendingFailure = true;
      return 'failed';
    }
    this.stack.pop();
    return this.unwind();
  }

  private propagate(): void {
    this.unwind();
  }

  private hostFailed(): FailOutcome {
    this.failed = true;
    this.done = true;
    this.stack.length = 0;
    return 'failed';
  }

  /** meta: clear_host_errors: failures waiting for an always section to end are forgotten
   *  (Ansible's PlayIterator.clear_host_errors); a host already failed stays done. */
  clearErrors(): void {
    for (const f of this.stack) f.pendingFailure = false;
  }

  /** meta: end_host / end_play, unreachable hosts: nothing more for this host. */
  stop(): void {
    this.done = true;
    this.stack.length = 0;
  }

  get finished(): boolean {
    return this.done;
  }
}
