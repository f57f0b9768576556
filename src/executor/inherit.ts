// Keyword inheritance: a task's effective when/tags/vars/keywords come from the task,
// its enclosing blocks (imports, role holders) and finally the play.
import type { Block, InheritableKeywords, Play, Task } from '../playbook/model';

/** Enclosing blocks from the outermost to the innermost. */
export function ancestors(node: Task | Block): Block[] {
  const out: Block[] = [];
  let b: Block | undefined = node.kind === 'task' ? node.parent : node.parent;
  while (b) {
    out.unshift(b);
    b = b.parent;
  }
  return out;
}

/** Conditions outermost first: play (import_playbook when) → blocks → task. */
export function effectiveWhen(task: Task, play?: Play): unknown[] {
  return [...(play?.when ?? []), ...ancestors(task).flatMap((b) => b.when), ...task.when];
}

export function effectiveTags(node: Task | Block, play?: Play): string[] {
  const all = [...(play?.tags ?? []), ...ancestors(node).flatMap((b) => b.tags), ...node.tags];
  return [...new Set(all.map(String))];
}

/** Block and task vars merged, inner wins. */
export function blockAndTaskVars(task: Task): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const b of ancestors(task)) Object.assign(out, b.vars);
  Object.assign(out, task.vars);
  return out;
}

/** The innermost defined value of an inheritable keyword (task, blocks, play). */
export function keyword<K extends keyof InheritableKeywords>(task: Task, key: K, play?: Play): InheritableKeywords[K] {
  if (task.keywords[key] !== undefined) return task.keywords[key];
  const chain = ancestors(task).reverse();
  for (const b of chain) if (b.keywords[key] !== undefined) return b.keywords[key];
  return play?.keywords[key];
}

/** Every defined value of an inheritable keyword, innermost first (task, blocks, play). */
export function keywordChain<K extends keyof InheritableKeywords>(task: Task, key: K, play?: Play): NonNullable<InheritableKeywords[K]>[] {
  const values = [task.keywords[key], ...ancestors(task).reverse().map((b) => b.keywords[key]), play?.keywords[key]];
  return values.filter((v): v is NonNullable<InheritableKeywords[K]> => v !== undefined);
}

/** module_defaults: play, blocks, task, outermost first (each a dict or a list of dicts). */
export function moduleDefaultsList(task: Task, play?: Play): unknown[] {
  return [
    ...(play?.keywords.moduleDefaults ?? []),
    ...ancestors(task).flatMap((b) => b.keywords.moduleDefaults ?? []),
    ...(task.keywords.moduleDefaults ?? []),
  ];
}

/** environment: merged outermost first (play, blocks, task), inner keys win. */
export function environmentList(task: Task, play?: Play): unknown[] {
  return [
    ...(play?.keywords.environment ?? []),
    ...ancestors(task).flatMap((b) => b.keywords.environment ?? []),
    ...(task.keywords.environment ?? []),
  ];
}

/** The task's own notify, else the innermost enclosing block's (an import_tasks' notify, include_tasks' apply). */
export function effectiveNotify(task: Task): string[] {
  if (task.notify.length) return task.notify;
  for (const b of ancestors(task).reverse()) if (b.notify?.length) return b.notify;
  return [];
}
