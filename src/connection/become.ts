// Privilege escalation: wraps a script so it runs as the become user (sudo or su).
import { shQuote } from './quote';
import type { BecomeOptions } from './types';

/** Returns the script to run, wrapped for become when needed (null user = no change). */
export function wrapBecome(script: string, become: BecomeOptions | undefined, currentUser: string): string {
  if (!become || !become.become) return script;
  const user = become.user || 'root';
  if (user === currentUser) return script;
  const method = become.method || 'sudo';
  if (method === 'su') return `su ${shQuote(user)} -c ${shQuote(script)}`;
  const flags = become.flags ?? '-H -S -n';
  return `sudo ${flags} -u ${shQuote(user)} /bin/sh -c ${shQuote(script)}`;
}
