// ansible.builtin.replace: Python-regex substitution over a file (or the section between
// after/before), with backrefs in the replacement, backup and validate.
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { attrNames, catchFail, ModuleFail, pyRegex, pySub, readTarget } from '../common';
import { FILE_COMMON_SPEC } from './spec-common';
import { attrsMessage, writeEdited } from './edit-common';

export const replaceSpec = {
  ...FILE_COMMON_SPEC,
  after: { type: 'str' },
  backup: { type: 'bool', default: false },
  before: { type: 'str' },
  encoding: { type: 'str', default: 'utf-8' },
  path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
  regexp: { type: 'str', required: true },
  replace: { type: 'str', default: '' },
  validate: { type: 'str' },
} as const;

async function runReplace(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const p = args.path as string;
  const tf = await readTarget(ctx.conn, p, attrNames(args));
  if (tf.st.type === 'directory') throw new ModuleFail(`Path ${p} is a directory !`, { rc: 256 });
  if (!tf.st.exists) throw new ModuleFail(`Path ${p} does not exist !`, { rc: 257 });
  const enc = (args.encoding as string).toLowerCase().replace(/[-_]/g, '') === 'latin1' ? 'latin1' : 'utf8';
  const contents = (tf.content ?? Buffer.alloc(0)).toString(enc);
  const after = args.after as string | null;
  const before = args.before as string | null;
  let pattern = '';
  if (after && before) pattern = `${after}(?P<subsection>.*?)${before}`;
  else if (after) pattern = `${after}(?P<subsection>.*)`;
  else if (before) pattern = `(?P<subsection>.*)${before}`;
  let section = contents;
  let indices: [number, number] = [0, contents.length];
  if (pattern) {
    const re = pyRegex(pattern);
    // DOTALL as Ansible compiles it; the d flag gives the subsection's offsets
    const flags = new Set([...re.flags, 's', 'd']);
    const m = new RegExp(re.source, [...flags].join('')).exec(contents);
    if (!m) return { changed: false, msg: `Pattern for before/after params did not match the given file: ${pattern}` };
    section = m.groups?.subsection ?? '';
    indices = m.indices?.groups?.subsection ?? [0, 0];
  }
  const sub = pySub(pyRegex(args.regexp as string, { multiline: true }), args.replace as string, section);
  const res: ModuleResult = {};
  let msg = '';
  let changed = false;
  let newText = contents;
  if (sub.count > 0 && section !== sub.text) {
    newText = pattern ? contents.slice(0, indices[0]) + sub.text + contents.slice(indices[1]) : sub.text;
    msg = `${sub.count} replacements made`;
    changed = true;
    if (ctx.diff) res.diff = { before_header: p, before: contents, after_header: p, after: newText };
  }
  const w = await writeEdited(ctx, tf, p, args, changed ? Buffer.from(newText, enc) : null);
  if (w.backupFile) res.backup_file = w.backupFile;
  const [m2, c2] = attrsMessage(msg, changed, w.attrs);
  return { ...res, msg: m2, changed: c2, rc: 0 };
}

export const replaceModule: ModuleDef = {
  name: 'replace',
  spec: replaceSpec,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runReplace(args, ctx)),
};
