// community.general.alternatives: installs, selects, resets or removes an alternative with
// update-alternatives; the current state comes from `--display`, parsed as the real module does.
import { shJoin, shQuote } from '../../connection/quote';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';

interface Subcommand { name: string; path: string; link: string | null }
interface Alternative { priority: number; subcommands: Subcommand[] }

export interface DisplayState {
  mode?: string;
  path?: string;
  link?: string;
  alternatives: Map<string, Alternative>;
}

/** Parses `update-alternatives --display NAME` (LC_ALL=C). */
export function parseDisplay(text: string, wanted: Subcommand[] | null): DisplayState {
  const state: DisplayState = { alternatives: new Map() };
  const mode = /\s-\s(?:status\sis\s)?(\w*)(?:\smode|.)$/m.exec(text);
  if (!mode) return state;
  state.mode = mode[1];
  const path = /^\s*link currently points to (.*)$/m.exec(text);
  if (path) state.path = path[1];
  const link = /^\s*link \w+ is (.*)$/m.exec(text);
  if (link) state.link = link[1];
  let followerLinks = new Map<string, string>([...text.matchAll(/^\s*(?:slave|follower) (\S+) is (.*)$/gm)].map((m) => [m[1] as string, m[2] as string]));
  if (followerLinks.size === 0 && wanted?.length) followerLinks = new Map(wanted.map((s) => [s.name, s.link ?? '']));
  for (const m of text.matchAll(/^(\/.*)\s-\s(?:family\s\S+\s)?priority\s(\d+)((?:\s+(?:slave|follower).*)*)/gm)) {
    const subcommands = [...(m[3] ?? '').matchAll(/^\s+(?:slave|follower) (.*): (.*)$/gm)]
      .filter((s) => s[2] !== '(null)')
      .map((s) => ({ name: s[1] as string, path: s[2] as string, link: followerLinks.get(s[1] as string) ?? null }));
    state.alternatives.set(m[1] as string, { priority: Number(m[2]), subcommands });
  }
  return state;
}

const sameSub = (a: Subcommand, b: Subcommand): boolean => a.name === b.name && a.path === b.path && a.link === b.link;

async function alternatives(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const name = args.name as string;
  const path = args.path as string;
  const state = args.state as string;
  const subParam = args.subcommands as Subcommand[] | null;
  const probe = await ctx.conn.exec(
    `_ua=$(command -v update-alternatives) || { echo "NOUA $PATH"; exit 0; }; echo "UA $_ua"\n[ -e ${shQuote(path)} ] && echo PATHOK\n` +
      `echo DISPLAY; LC_ALL=C "$_ua" --display ${shQuote(name)} 2>/dev/null || echo NODISPLAY\n`,
  );
  const noUa = /^NOUA (.*)$/m.exec(probe.stdout);
  if (noUa) return { failed: true, changed: false, msg: `Failed to find required executable "update-alternatives" in paths: ${noUa[1]}` };
  const ua = /^UA (.*)$/m.exec(probe.stdout)?.[1] ?? 'update-alternatives';
  const display = probe.stdout.includes('\nNODISPLAY') ? '' : probe.stdout.slice(probe.stdout.indexOf('DISPLAY\n') + 8);
  const cur = parseDisplay(display, subParam);
  const existing = cur.alternatives.get(path);
  const subcommands = subParam ?? (existing?.subcommands.length ? existing.subcommands : null);
  const priority = (args.priority as number | null) ?? existing?.priority ?? 50;
  const link = (args.link as string | null) || cur.link;
  const before: Record<string, unknown> = {};
  if (existing) {
    Object.assign(before, { state: 'present', path, priority: existing.priority, link: cur.link ?? null });
    if (existing.subcommands.length) before.subcommands = existing.subcommands;
    if (cur.mode === 'manual' && cur.path !== path) before.state = 'selected';
  } else if (cur.mode !== undefined) before.state = 'absent';
  let after: Record<string, unknown> = {};
  const commands: string[][] = [];
  const messages: string[] = [];
  if (state !== 'absent') {
    const subsDiffer = subParam !== null && existing !== undefined &&
      (!existing.subcommands.every((s) => subParam.some((p) => sameSub(p, s))) || !subParam.every((p) => existing.subcommands.some((s) => sameSub(p, s))));
    if (!existing || (args.priority !== null && existing.priority !== args.priority) || subsDiffer) {
      if (!/^PATHOK$/m.test(probe.stdout)) return { failed: true, changed: false, msg: `Specified path ${path} does not exist` };
      if (!link) return { failed: true, changed: false, msg: 'Needed to install the alternative, but unable to do so as we are missing the link' };
      commands.push([ua, '--install', link, name, path, String(priority), ...(subParam ?? []).flatMap((s) => ['--slave', s.link ?? '', s.name, s.path])]);
      messages.push(`Install alternative '${path}' for '${name}'.`);
      after = { state: 'present', path, priority, link, ...(subcommands ? { subcommands } : {}) };
    }
    if (state === 'selected' && cur.path !== path) {
      commands.push([ua, '--set', name, path]);
      messages.push(`Set alternative '${path}' for '${name}'.`);
      after.state = 'selected';
    }
    if (state === 'auto' && cur.mode === 'manual') {
      commands.push([ua, '--auto', name]);
      messages.push(`Set alternative to auto for '${name}'.`);
      after.state = 'present';
    }
  } else if (existing) {
    commands.push([ua, '--remove', name, path]);
    messages.push(`Remove alternative '${path}' from '${name}'.`);
    after = { state: 'absent' };
  }
  const result: ModuleResult = { changed: commands.length > 0, diff: ctx.diff ? { before, after } : { before: {}, after: {} }, msg: messages.join(' ') };
  if (ctx.check) return result;
  for (const argv of commands) {
    const r = await ctx.conn.exec(shJoin(argv) + '\n', { env: { LC_ALL: 'C' } });
    if (r.rc !== 0) return { failed: true, changed: false, msg: r.stderr.trimEnd(), cmd: argv.join(' '), rc: r.rc, stdout: r.stdout, stderr: r.stderr };
  }
  return result;
}

export const alternativesModule = {
  name: 'alternatives',
  fqcns: ['community.general.alternatives'],
  checkMode: true,
  spec: {
    link: { type: 'path' },
    name: { type: 'str', required: true },
    path: { type: 'path', required: true },
    priority: { type: 'int' },
    state: { type: 'str', default: 'selected', choices: ['present', 'selected', 'absent', 'auto'] },
    subcommands: {
      type: 'list', elements: 'dict', aliases: ['slaves'],
      options: { link: { type: 'path', required: true }, name: { type: 'str', required: true }, path: { type: 'path', required: true } },
    },
  },
  run: alternatives,
} satisfies ModuleDef;
