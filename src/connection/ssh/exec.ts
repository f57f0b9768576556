// The script with its environment and working directory as one `sh -c` text: what Ansible's ssh
// plugin would run for a command, shown on the -vvv EXEC line (tsible frames it through a shell).
import { shQuote } from '../quote';
import type { ExecOptions } from '../types';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The script with the task's environment exported and its working directory entered. */
export function scriptWithContext(script: string, opts: ExecOptions): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(opts.env ?? {})) if (NAME_RE.test(k)) lines.push(`export ${k}=${shQuote(v)}`);
  if (opts.cwd) lines.push(`cd ${shQuote(opts.cwd)} || exit 1`);
  return lines.length ? `${lines.join('\n')}\n${script}` : script;
}
