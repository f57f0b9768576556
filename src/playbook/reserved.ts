// Variable names Ansible reserves (keywords of plays, blocks and tasks, and the Jinja2
// globals): a play whose variables use one gets "Found variable using reserved name" warnings.
import { BLOCK_KEYWORDS, PLAY_KEYWORDS, TASK_KEYWORDS } from './keywords';

const JINJA_GLOBALS = ['range', 'lipsum', 'dict', 'cycler', 'joiner', 'namespace', 'lookup', 'query', 'q', 'now', 'undef'];

const RESERVED = new Set<string>([
  ...PLAY_KEYWORDS, ...TASK_KEYWORDS, ...BLOCK_KEYWORDS, 'local_action', 'with_', ...JINJA_GLOBALS,
]);

/** The reserved names among `names` ('vars' excepted, as Ansible adds it itself). */
export function reservedNamesIn(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((n) => n !== 'vars' && RESERVED.has(n));
}
