// The file a crypto module manages: written atomically (secret files never readable by
// others), backed up on request, given owner/group/mode, or removed; check mode reports
// what would change without touching the target.
import { shQuote } from '../../connection/quote';
import type { ModuleContext } from '../types';
import { planAttrs, runCommands } from '../common/attrs';
import type { PathStat } from '../common/probe';
import { atomicWrite, backupScript, parseBackup } from '../common/write';
import { CryptoError } from './errors';
import type { TargetSnapshot } from './target';

export interface ManagedFile {
  path: string;
  /** owner/group/mode arguments; mode falls back to `defaultMode` when unset. */
  args: Record<string, unknown>;
  defaultMode?: string;
  snap: TargetSnapshot;
  /** Private key material: created 0600 from the first byte. */
  secret?: boolean;
}

function attrArgs(f: ManagedFile): { mode: unknown; owner: string | null; group: string | null } {
  const mode = f.args.mode ?? f.defaultMode ?? null;
  return { mode, owner: (f.args.owner as string | null) ?? null, group: (f.args.group as string | null) ?? null };
}

const NEW_FILE: Partial<PathStat> = { exists: true, type: 'file', modeBits: 0o644, uid: -1, gid: -1 };

/** Writes new content; returns the backup file when one was made. */
export async function writeManaged(ctx: ModuleContext, f: ManagedFile, content: Buffer, backup: boolean): Promise<string | undefined> {
  const st = f.snap.stat;
  const base = st && st.exists ? st : ({ ...st, ...NEW_FILE } as PathStat);
  const plan = planAttrs(f.path, base, attrArgs(f), f.snap.names);
  const res = await atomicWrite(ctx.conn, { dest: f.path, content, backup, mode: plan.mode, uid: plan.uid, gid: plan.gid, secret: f.secret ?? false }).catch((e: Error) => {
    throw new CryptoError(`Error while writing result: ${e.message}`);
  });
  return res.backupFile;
}

/**
 * Ansible's set_fs_attributes_if_different after a kept file: true when owner/group/mode
 * differ (and fixes them unless in check mode). A file missing in check mode counts as changed.
 */
export async function settleAttributes(ctx: ModuleContext, f: ManagedFile): Promise<boolean> {
  const st = f.snap.stat;
  if (!st || !st.exists) return ctx.check;
  const plan = planAttrs(f.path, st, attrArgs(f), f.snap.names);
  if (plan.changed && !ctx.check) await runCommands(ctx.conn, plan.commands);
  return plan.changed;
}

/** state=absent: removes the file (backing it up first when asked); changed when it existed. */
export async function removeManaged(ctx: ModuleContext, path: string, exists: boolean, backup: boolean): Promise<{ changed: boolean; backupFile?: string }> {
  if (ctx.check) return { changed: exists };
  const q = shQuote(path);
  const script = (backup ? backupScript(path) : '') + `if [ -e ${q} ] || [ -L ${q} ]; then rm -f -- ${q} && echo REMOVED; fi\n`;
  const r = await ctx.conn.exec(script);
  if (r.rc !== 0) throw new CryptoError(r.stderr.trim() || `could not remove ${path}`);
  const backupFile = parseBackup(r.stdout);
  return { changed: /^REMOVED$/m.test(r.stdout), ...(backupFile ? { backupFile } : {}) };
}
