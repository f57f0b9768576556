// ansible.builtin.lineinfile: ensure one line is present/absent (regexp, search_string,
// insertafter/insertbefore, backrefs, firstmatch), with Ansible's messages and diffs.
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { attrNames, catchFail, ModuleFail, pyExpand, pyRegex, readLines, readTarget } from '../common';
import { FILE_COMMON_SPEC } from './spec-common';
import { attrDiff, attrsMessage, writeEdited } from './edit-common';

export const lineinfileSpec = {
  ...FILE_COMMON_SPEC,
  backrefs: { type: 'bool', default: false },
  backup: { type: 'bool', default: false },
  create: { type: 'bool', default: false },
  firstmatch: { type: 'bool', default: false },
  insertafter: { type: 'str' },
  insertbefore: { type: 'str' },
  line: { type: 'str', aliases: ['value'] },
  path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
  regexp: { type: 'str', aliases: ['regex'] },
  search_string: { type: 'str' },
  state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
  validate: { type: 'str' },
} as const;

const strip = (l: string) => l.replace(/[\r\n]+$/, '');

interface Edit {
  lines: string[];
  changed: boolean;
  msg: string;
}

export function presentEdit(lines0: string[], a: Record<string, unknown>): Edit {
  const lines = [...lines0];
  const regexp = a.regexp as string | null;
  const search = a.search_string as string | null;
  const line = a.line as string;
  const firstmatch = a.firstmatch as boolean;
  let insertafter = a.insertafter as string | null;
  const insertbefore = a.insertbefore as string | null;
  if (insertafter === null && insertbefore === null) insertafter = 'EOF';
  const reM = regexp !== null ? pyRegex(regexp) : null;
  const insPat = insertafter !== null && insertafter !== 'BOF' && insertafter !== 'EOF' ? insertafter : insertbefore !== null && insertbefore !== 'BOF' ? insertbefore : null;
  const reIns = insPat !== null ? pyRegex(insPat) : null;
  const index = [-1, -1];
  let match: RegExpExecArray | boolean | null = null;
  let exact = false;
  if (reM) {
    for (let i = 0; i < lines.length; i++) {
      const m = reM.exec(lines[i] as string);
      if (m) {
        index[0] = i;
        match = m;
        if (firstmatch) break;
      }
    }
  }
  if (search !== null) {
    for (let i = 0; i < lines.length; i++) {
      if ((lines[i] as string).includes(search)) {
        index[0] = i;
        match = true;
        if (firstmatch) break;
      }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      const cur = lines[i] as string;
      if (strip(cur) === line) {
        index[0] = i;
        exact = true;
      } else if (reIns && reIns.exec(cur)) {
        if (insertafter) {
          index[1] = i + 1;
          if (firstmatch) break;
        }
        if (insertbefore) {
          index[1] = i;
          if (firstmatch) break;
        }
      }
    }
  }
  const e: Edit = { lines, changed: false, msg: '' };
  const add = (at: number) => {
    lines.splice(at, 0, line + '\n');
    e.msg = 'line added';
    e.changed = true;
  };
  const fixLastNewline = () => {
    const last = lines[lines.length - 1];
    if (last !== undefined && !/[\n\r]$/.test(last)) lines[lines.length - 1] = last + '\n';
  };
  const i1 = index[1] as number;
  if (index[0] !== -1) {
    let newLine = a.backrefs && match && typeof match !== 'boolean' ? pyExpand(line, match) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (regexp === null && search === null && !match && !exact) {
      if (insertafter && insertafter !== 'EOF') {
        fixLastNewline();
        if (lines.length === i1) {
          if (strip(lines[i1 - 1] as string) !== line) add(lines.length);
        } else if (strip(lines[i1] as string) !== line) add(i1);
      } else if (insertbefore && insertbefore !== 'BOF') {
        if (i1 <= 0) {
          if (strip(lines.at(i1) ?? '') !== line) add(i1 < 0 ? lines.length + i1 : i1);
        } else if (strip(lines[i1 - 1] as string) !== line) add(i1);
      }
    } else if (lines[index[0] as number] !== newLine) {
      lines[index[0] as number] = newLine;
      e.msg = 'line replaced';
      e.changed = true;
    }
  } else if (a.backrefs) {
    // backrefs without a match leaves the file alone
  } else if (insertbefore === 'BOF' || insertafter === 'BOF') {
    add(0);
  } else if (insertafter === 'EOF' || i1 === -1) {
    const last = lines[lines.length - 1];
    if (last !== undefined && !/[\n\r]$/.test(last)) lines.push('\n');
    add(lines.length);
  } else if (insertafter && i1 !== -1) {
    if (lines.length === i1) {
      if (strip(lines[i1 - 1] as string) !== line) add(lines.length);
    } else if (line !== strip(lines[i1] as string)) add(i1);
  } else add(i1);
  return e;
}

export function absentEdit(lines: string[], a: Record<string, unknown>): { lines: string[]; found: number } {
  const regexp = a.regexp as string | null;
  const search = a.search_string as string | null;
  const re = regexp !== null ? pyRegex(regexp) : null;
  let found = 0;
  const kept = lines.filter((l) => {
    const hit = re ? !!re.exec(l) : search !== null ? l.includes(search) : (a.line as string) === strip(l);
    if (hit) found++;
    return !hit;
  });
  return { lines: kept, found };
}

async function runLineinfile(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const p = args.path as string;
  const regexp = args.regexp as string | null;
  const search = args.search_string as string | null;
  if (regexp === '' || search === '') {
    const name = regexp === '' ? 'regular expression' : 'search string';
    let msg = `The ${name} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.`;
    if (regexp === '') msg += " If this is desired, use '^' to match every line in the file and avoid this warning.";
    ctx.warn(msg);
  }
  const tf = await readTarget(ctx.conn, p, attrNames(args));
  if (tf.st.type === 'directory') throw new ModuleFail(`Path ${p} is a directory !`, { rc: 256 });
  const diff: Record<string, unknown> = { before: '', after: '', before_header: `${p} (content)`, after_header: `${p} (content)` };
  const text = tf.content ? tf.content.toString('utf8') : '';
  if (args.state === 'present') {
    if (args.backrefs && regexp === null) throw new ModuleFail('regexp is required with backrefs=true');
    if (args.line === null) throw new ModuleFail('line is required with state=present');
    if (!tf.st.exists && !args.create) throw new ModuleFail(`Destination ${p} does not exist !`, { rc: 257 });
    const lines = tf.st.exists ? readLines(text) : [];
    if (ctx.diff) diff.before = lines.join('');
    const e = presentEdit(lines, args);
    if (ctx.diff) diff.after = e.lines.join('');
    const newContent = e.changed ? Buffer.from(e.lines.join('')) : null;
    if (ctx.check && !tf.st.exists) return { changed: e.changed, msg: e.msg, backup: '', diff };
    const w = await writeEdited(ctx, tf, p, args, newContent);
    const [msg, changed] = attrsMessage(e.msg, e.changed, w.attrs);
    return { changed, msg, backup: w.backupFile, diff: [diff, attrDiff(p, w.attrs)] };
  }
  if (regexp === null && search === null && args.line === null) {
    throw new ModuleFail('one of line, search_string, or regexp is required with state=absent');
  }
  if (!tf.st.exists) return { changed: false, msg: 'file not present' };
  const lines = readLines(text);
  if (ctx.diff) diff.before = lines.join('');
  const e = absentEdit(lines, args);
  if (ctx.diff) diff.after = e.lines.join('');
  const w = await writeEdited(ctx, tf, p, args, e.found ? Buffer.from(e.lines.join('')) : null);
  const [msg, changed] = attrsMessage(e.found ? `${e.found} line(s) removed` : '', e.found > 0, w.attrs);
  return { changed, found: e.found, msg, backup: w.backupFile, diff: [diff, attrDiff(p, w.attrs)] };
}

export const lineinfileModule: ModuleDef = {
  name: 'lineinfile',
  spec: lineinfileSpec,
  constraints: { mutuallyExclusive: [['insertbefore', 'insertafter'], ['regexp', 'search_string'], ['backrefs', 'search_string']] },
  checkMode: true,
  run: (args, ctx) => catchFail(() => runLineinfile(args, ctx)),
};
