// ansible.builtin.blockinfile: a marker-delimited block inserted, updated or removed,
// with Ansible's placement rules (insertafter/insertbefore regex, BOF/EOF) and messages.
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { attrNames, catchFail, ModuleFail, pyRegex, readTarget } from '../common';
import { FILE_COMMON_SPEC } from './spec-common';
import { attrDiff, attrsMessage, writeEdited } from './edit-common';

export const blockinfileSpec = {
  ...FILE_COMMON_SPEC,
  backup: { type: 'bool', default: false },
  block: { type: 'str', default: '', aliases: ['content'] },
  create: { type: 'bool', default: false },
  insertafter: { type: 'str' },
  insertbefore: { type: 'str' },
  marker: { type: 'str', default: '# {mark} ANSIBLE MANAGED BLOCK' },
  marker_begin: { type: 'str', default: 'BEGIN' },
  marker_end: { type: 'str', default: 'END' },
  path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
  state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
  validate: { type: 'str' },
} as const;

/** bytes.splitlines(keepends=True): \n, \r\n and \r all end lines. */
export function splitLinesKeep(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

export function blockEdit(original: string | null, a: Record<string, unknown>): { result: string; blocklines: string[] } {
  const lines = original === null ? [] : splitLinesKeep(original);
  let insertafter = a.insertafter as string | null;
  const insertbefore = a.insertbefore as string | null;
  if (insertbefore === null && insertafter === null) insertafter = 'EOF';
  const insPat = insertafter !== null && insertafter !== 'EOF' ? insertafter : insertbefore !== null && insertbefore !== 'BOF' ? insertbefore : null;
  const insertre = insPat !== null ? pyRegex(insPat) : null;
  const marker = a.marker as string;
  const marker0 = marker.split('{mark}').join(a.marker_begin as string) + '\n';
  const marker1 = marker.split('{mark}').join(a.marker_end as string) + '\n';
  let block = a.block as string;
  let blocklines: string[] = [];
  if (a.state === 'present' && block) {
    if (!block.endsWith('\n')) block += '\n';
    blocklines = [marker0, ...splitLinesKeep(block), marker1];
  }
  let n0: number | null = null;
  let n1: number | null = null;
  lines.forEach((l, i) => {
    if (l === marker0) n0 = i;
    if (l === marker1) n1 = i;
  });
  let at: number;
  if (n0 === null || n1 === null) {
    let found: number | null = null;
    if (insertre && insertre.multiline) {
      // a (?m) pattern is searched in the whole file: the line the match ends (or starts) on
      const text = original ?? '';
      const m = insertre.exec(text);
      if (m) found = (insertafter !== null ? text.slice(0, m.index + m[0].length) : text.slice(0, m.index)).split('\n').length - 1;
      if (found === null) at = lines.length;
      else at = insertafter !== null ? found + 1 : found;
    } else if (insertre) {
      lines.forEach((l, i) => {
        if (insertre.exec(l)) found = i;
      });
      if (found === null) at = lines.length;
      else at = insertafter !== null ? found + 1 : found;
    } else if (insertbefore !== null) at = 0;
    else at = lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
    at = n0;
  } else {
    lines.splice(n1, n0 - n1 + 1);
    at = n1;
  }
  if (at > 0 && !(lines[at - 1] as string).endsWith('\n')) lines[at - 1] += '\n';
  lines.splice(at, 0, ...blocklines);
  return { result: lines.join(''), blocklines };
}

async function runBlockinfile(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const p = args.path as string;
  const tf = await readTarget(ctx.conn, p, attrNames(args));
  if (tf.st.type === 'directory') throw new ModuleFail(`Path ${p} is a directory !`, { rc: 256 });
  if (!tf.st.exists && !args.create) throw new ModuleFail(`Path ${p} does not exist !`, { rc: 257 });
  const original = tf.st.exists ? (tf.content ?? Buffer.alloc(0)).toString('utf8') : null;
  const diff: Record<string, unknown> = { before: '', after: '', before_header: `${p} (content)`, after_header: `${p} (content)` };
  if (ctx.diff && original) diff.before = original;
  if (args.state !== 'present' && !tf.st.exists) return { changed: false, msg: `File ${p} not present` };
  const { result, blocklines } = blockEdit(original, args);
  if (ctx.diff) diff.after = result;
  let msg = '';
  let changed = true;
  if (original === result) changed = false;
  else if (original === null) msg = 'File created';
  else if (!blocklines.length) msg = 'Block removed';
  else msg = 'Block inserted';
  if (ctx.check && !tf.st.exists) return { changed, msg, diff };
  const w = await writeEdited(ctx, tf, p, args, changed ? Buffer.from(result) : null);
  const [m2, c2] = attrsMessage(msg, changed, w.attrs);
  const res: ModuleResult = { changed: c2, msg: m2, diff: [diff, attrDiff(p, w.attrs)] };
  if (w.backupFile) res.backup_file = w.backupFile;
  return res;
}

export const blockinfileModule: ModuleDef = {
  name: 'blockinfile',
  spec: blockinfileSpec,
  constraints: { mutuallyExclusive: [['insertbefore', 'insertafter']] },
  checkMode: true,
  run: (args, ctx) => catchFail(() => runBlockinfile(args, ctx)),
};
