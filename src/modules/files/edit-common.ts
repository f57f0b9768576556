// The write half shared by lineinfile, blockinfile and replace: backup, validate
// ('failed to validate: rc:N error:...'), atomic write to the realpath, then file attributes.
import type { ModuleContext } from '../types';
import { applyOrFail, atomicWrite, attrNames, ModuleFail, planAttrs, readTarget } from '../common';
import type { AttrPlan, TargetFile } from '../common';

export interface EditWrite {
  backupFile: string;
  attrs: AttrPlan | null;
}

/** Writes new content (when given and not check mode), then plans/applies owner/group/mode. */
export async function writeEdited(
  ctx: ModuleContext,
  tf: TargetFile,
  path: string,
  args: Record<string, unknown>,
  content: Buffer | null,
): Promise<EditWrite> {
  let backupFile = '';
  let st = tf.st;
  let names = tf.names;
  if (content !== null && !ctx.check) {
    if (!tf.parentExists) {
      const dir = tf.realPath.replace(/\/[^/]*$/, '') || '/';
      await applyOrFail(ctx.conn, [`mkdir -p -- '${dir.replace(/'/g, `'"'"'`)}'`], { paths: [] }, `Error creating ${dir} (`);
    }
    try {
      const w = await atomicWrite(ctx.conn, {
        dest: tf.realPath,
        content,
        backup: (args.backup as boolean) && tf.st.exists,
        validate: args.validate as string | null,
      });
      backupFile = w.backupFile ?? '';
    } catch (e) {
      if (e instanceof ModuleFail && e.message === 'failed to validate') {
        throw new ModuleFail(`failed to validate: rc:${String(e.extra.exit_status)} error:${String(e.extra.stderr)}`);
      }
      throw e;
    }
    const again = await readTarget(ctx.conn, path, attrNames(args));
    st = again.st;
    names = again.names;
  }
  if (!st.exists) return { backupFile, attrs: null };
  const plan = planAttrs(tf.realPath, st, args, names);
  if (plan.changed && !ctx.check) await applyOrFail(ctx.conn, plan.commands, { paths: [] }, '');
  return { backupFile, attrs: plan };
}

/** Ansible's check_file_attrs message suffix. */
export function attrsMessage(msg: string, changed: boolean, attrs: AttrPlan | null): [string, boolean] {
  if (!attrs?.changed) return [msg, changed];
  return [`${msg}${changed ? ' and ' : ''}ownership, perms or SE linux context changed`, true];
}

/** The attribute half of the diff list (before/after only when something changed). */
export function attrDiff(path: string, attrs: AttrPlan | null): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (attrs?.changed) {
    d.before = attrs.before;
    d.after = attrs.after;
  }
  d.before_header = `${path} (file attributes)`;
  d.after_header = `${path} (file attributes)`;
  return d;
}
