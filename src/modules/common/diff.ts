// Building `diff` result entries the way Ansible's modules and action plugins shape them.
import type { DiffEntry } from '../types';

/** Largest file Ansible diffs (max_diff_size default, 104448 bytes). */
export const MAX_DIFF_SIZE = 104448;

export function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

/** A before/after text diff; oversized or binary sides are replaced by Ansible's markers. */
export function textDiff(
  before: Buffer | string,
  after: Buffer | string,
  beforeHeader: string,
  afterHeader: string,
): DiffEntry & Record<string, unknown> {
  const entry: DiffEntry & Record<string, unknown> = { before_header: beforeHeader, after_header: afterHeader };
  const b = typeof before === 'string' ? Buffer.from(before) : before;
  const a = typeof after === 'string' ? Buffer.from(after) : after;
  if (b.length > MAX_DIFF_SIZE) entry.dst_larger = MAX_DIFF_SIZE;
  else if (isBinary(b)) entry.dst_binary = 1;
  else entry.before = b.toString('utf8');
  if (a.length > MAX_DIFF_SIZE) entry.src_larger = MAX_DIFF_SIZE;
  else if (isBinary(a)) entry.src_binary = 1;
  else entry.after = a.toString('utf8');
  return entry;
}

/** The {before: {path, state...}, after: {...}} diff of the file module. */
export function stateDiff(before: Record<string, unknown>, after: Record<string, unknown>): DiffEntry {
  return { before, after };
}
