// The --diff text: Python difflib.unified_diff (3 lines of context) over before/after,
// with Ansible's "before: path" headers, binary/size notes and per-line colours.
import { pyJsonDumps, isDict } from '../template/pyvalues';
import { Colors, stringc } from './colors';

type Opcode = ['equal' | 'replace' | 'delete' | 'insert', number, number, number, number];

/** difflib.SequenceMatcher.find_longest_match without junk: earliest longest block. */
function longestMatch(a: string[], b2j: Map<string, number[]>, alo: number, ahi: number, blo: number, bhi: number): [number, number, number] {
  let besti = alo;
  let bestj = blo;
  let bestsize = 0;
  let j2len = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const next = new Map<number, number>();
    for (const j of b2j.get(a[i] as string) ?? []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (j2len.get(j - 1) ?? 0) + 1;
      next.set(j, k);
      if (k > bestsize) {
        besti = i - k + 1;
        bestj = j - k + 1;
        bestsize = k;
      }
    }
    j2len = next;
  }
  return [besti, bestj, bestsize];
}

/** difflib's get_matching_blocks + get_opcodes (recursive longest blocks, so hunks match Python's). */
function opcodes(a: string[], b: string[]): Opcode[] {
  const b2j = new Map<string, number[]>();
  b.forEach((line, j) => {
    const list = b2j.get(line);
    if (list) list.push(j);
    else b2j.set(line, [j]);
  });
  const blocks: [number, number, number][] = [];
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length > 0) {
    const [alo, ahi, blo, bhi] = queue.pop() as [number, number, number, number];
    const [i, j, k] = longestMatch(a, b2j, alo, ahi, blo, bhi);
    if (k === 0) continue;
    blocks.push([i, j, k]);
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  blocks.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number, number][] = [];
  for (const blk of blocks) {
    const last = merged[merged.length - 1];
    if (last && last[0] + last[2] === blk[0] && last[1] + last[2] === blk[1]) last[2] += blk[2];
    else merged.push([...blk]);
  }
  merged.push([a.length, b.length, 0]);
  const codes: Opcode[] = [];
  let i = 0;
  let j = 0;
  for (const [ai, bj, size] of merged) {
    if (i < ai && j < bj) codes.push(['replace', i, ai, j, bj]);
    else if (i < ai) codes.push(['delete', i, ai, j, bj]);
    else if (j < bj) codes.push(['insert', i, ai, j, bj]);
    i = ai + size;
    j = bj + size;
    if (size > 0) codes.push(['equal', ai, i, bj, j]);
  }
  if (codes.length === 0) codes.push(['equal', 0, 1, 0, 1]);
  return codes;
}

function groupedOpcodes(codes: Opcode[], context: number): Opcode[][] {
  const c = codes.map((x) => [...x] as Opcode);
  const first = c[0];
  if (first && first[0] === 'equal') {
    first[1] = Math.max(first[1], first[2] - context);
    first[3] = Math.max(first[3], first[4] - context);
  }
  const last = c[c.length - 1];
  if (last && last[0] === 'equal') {
    last[2] = Math.min(last[2], last[1] + context);
    last[4] = Math.min(last[4], last[3] + context);
  }
  const groups: Opcode[][] = [];
  let group: Opcode[] = [];
  for (const [tag, i1, i2, j1, j2] of c) {
    if (tag === 'equal' && i2 - i1 > context * 2) {
      group.push([tag, i1, Math.min(i2, i1 + context), j1, Math.min(j2, j1 + context)]);
      groups.push(group);
      group = [];
      group.push([tag, Math.max(i1, i2 - context), i2, Math.max(j1, j2 - context), j2]);
    } else group.push([tag, i1, i2, j1, j2]);
  }
  if (group.length > 0 && !(group.length === 1 && group[0]?.[0] === 'equal')) groups.push(group);
  return groups;
}

function formatRange(start: number, stop: number): string {
  let begin = start + 1;
  const length = stop - start;
  if (length === 1) return String(begin);
  if (length === 0) begin -= 1;
  return `${begin},${length}`;
}

/** difflib.unified_diff(a, b, fromfile, tofile, n=context) with lines that keep their "\n". */
export function unifiedDiff(a: string[], b: string[], fromFile: string, toFile: string, context = 3): string[] {
  const out: string[] = [];
  for (const group of groupedOpcodes(opcodes(a, b), context)) {
    if (out.length === 0) out.push(`--- ${fromFile}\n`, `+++ ${toFile}\n`);
    const f = group[0] as Opcode;
    const l = group[group.length - 1] as Opcode;
    out.push(`@@ -${formatRange(f[1], l[2])} +${formatRange(f[3], l[4])} @@\n`);
    for (const [tag, i1, i2, j1, j2] of group) {
      if (tag === 'equal') {
        for (const line of a.slice(i1, i2)) out.push(' ' + line);
        continue;
      }
      if (tag === 'replace' || tag === 'delete') for (const line of a.slice(i1, i2)) out.push('-' + line);
      if (tag === 'replace' || tag === 'insert') for (const line of b.slice(j1, j2)) out.push('+' + line);
    }
  }
  return out;
}

/** Python str.splitlines(keepends=True) for the line breaks files use. */
function splitLinesKeep(s: string): string[] {
  return s.match(/[^\n\r]*(\r\n|\n|\r)|[^\n\r]+$/g) ?? [];
}

function serializeSide(v: unknown): string {
  if (isDict(v)) return pyJsonDumps(v, { indent: 4, sortKeys: true }) + '\n';
  if (v === null || v === undefined) return '';
  return String(v);
}

/** The text Ansible's _get_diff prints for one diff dict or a list of them ('' when nothing differs). */
export function formatDiff(diffs: unknown, color: boolean): string {
  const list = Array.isArray(diffs) ? diffs : [diffs];
  const ret: string[] = [];
  for (const raw of list) {
    if (!isDict(raw)) continue;
    const diff = raw;
    if ('dst_binary' in diff) ret.push('diff skipped: destination file appears to be binary\n');
    if ('src_binary' in diff) ret.push('diff skipped: source file appears to be binary\n');
    if ('dst_larger' in diff) ret.push(`diff skipped: destination file size is greater than ${Math.trunc(Number(diff.dst_larger))}\n`);
    if ('src_larger' in diff) ret.push(`diff skipped: source file size is greater than ${Math.trunc(Number(diff.src_larger))}\n`);
    if ('before' in diff && 'after' in diff) {
      const beforeHeader = 'before_header' in diff ? `before: ${String(diff.before_header)}` : 'before';
      const afterHeader = 'after_header' in diff ? `after: ${String(diff.after_header)}` : 'after';
      const before = splitLinesKeep(serializeSide(diff.before));
      const after = splitLinesKeep(serializeSide(diff.after));
      for (const lines of [before, after]) {
        const last = lines[lines.length - 1];
        if (last !== undefined && !last.endsWith('\n')) lines[lines.length - 1] = last + '\n\\ No newline at end of file\n';
      }
      const difflines = unifiedDiff(before, after, beforeHeader, afterHeader);
      for (const line of difflines) {
        if (line.startsWith('+')) ret.push(stringc(line, Colors.diffAdd, color));
        else if (line.startsWith('-')) ret.push(stringc(line, Colors.diffRemove, color));
        else if (line.startsWith('@@')) ret.push(stringc(line, Colors.diffLines, color));
        else ret.push(line);
      }
      if (difflines.length > 0) ret.push('\n');
    }
    if ('prepared' in diff) ret.push(String(diff.prepared));
  }
  return ret.join('');
}
