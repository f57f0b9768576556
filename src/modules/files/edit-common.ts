// The write half shared by lineinfile, blockinfile and replace: backup, validate
// ('failed to validate: rc:N error:...'), atomic write to the realpath with its attributes.
import type { ModuleContext } from '../types';
import { shQuote } from '../../connection/quote';
import { applyOrFail, atomicWrite, ModuleFail, planAttrs } from '../common';
import type { AttrPlan, PathStat, TargetFile } from '../common';

export interface EditWrite {
  backupFile: string;
  attrs: AttrPlan | null;
  /** The written file's stat (its realpath), when content was written. */
  written?: PathStat;
}

/**
 * Writes new content (when given and not check mode) and owner/group/mode. The attributes
 * are planned against what the written file will be (the old file's mode and owner, or a new
 * file's) and applied to the temp file before the rename: one exec, which also re-stats.
 */
export async function writeEdited(
  ctx: ModuleContext,
  tf: TargetFile,
  path: string,
  args: Record<string, unknown>,
  content: Buffer | null,
): Promise<EditWrite> {
  if (content === null || ctx.check) {
    if (!tf.st.exists) return { backupFile: '', attrs: null };
    const plan = planAttrs(tf.realPath, tf.st, args, tf.names);
    if (plan.changed && !ctx.check) await applyOrFail(ctx.conn, plan.commands, { paths: [] }, '');
    return { backupFile: '', attrs: plan };
  }
  if (!tf.parentExists) {
    const dir = tf.realPath.replace(/\/[^/]*$/, '') || '/';
    await applyOrFail(ctx.conn, [`mkdir -p -- ${shQuote(dir)}`], { paths: [] }, `Error creating ${dir} (`);
  }
  const predicted: PathStat = tf.st.exists ? tf.st : { ...tf.st, exists: true, type: 'file', ...tf.newFile };
  const plan = planAttrs(tf.realPath, predicted, args, tf.names);
  let written: PathStat | undefined;
  let backupFile = '';
  try {
    const w = await atomicWrite(ctx.conn, {
      dest: tf.realPath,
      content,
      backup: (args.backup as boolean) && tf.st.exists,
      validate: args.validate as string | null,
      mode: plan.mode,
      uid: plan.uid,
      gid: plan.gid,
      restat: { paths: [tf.realPath] },
    });
    backupFile = w.backupFile ?? '';
    written = w.stats?.[0];
  } catch (e) {
    if (e instanceof ModuleFail && e.message === 'failed to validate') {
      throw new ModuleFail(`failed to validate: rc:${String(e.extra.exit_status)} error:${String(e.extra.stderr)}`);
    }
    throw e;
  }
  // the prediction was wrong only if something raced us: then fix it as a separate step
  const rest = written?.exists ? planAttrs(tf.realPath, written, args, tf.names) : null;
  if (rest?.changed) await applyOrFail(ctx.conn, rest.commands, { paths: [] }, '');
  return { backupFile, attrs: plan, ...(written && !rest?.changed ? { written } : {}) };
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
