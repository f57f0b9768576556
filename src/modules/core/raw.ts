// raw and script: run text as-is on the target; script uploads a controller file first.
import * as fs from 'fs';
import { shQuote, shSplit } from '../../connection/quote';
import type { ModuleDef, ModuleResult } from '../types';
import { lines } from './timing';

function shellResult(rc: number, stdout: string, stderr: string): ModuleResult {
  const r: ModuleResult = { changed: true, rc, stdout, stdout_lines: lines(stdout), stderr, stderr_lines: lines(stderr) };
  if (rc !== 0) {
    r.failed = true;
    r.msg = 'non-zero return code';
  }
  return r;
}

export const rawModule: ModuleDef = {
  name: 'raw',
  spec: { _raw_params: { type: 'str', required: true }, executable: { type: 'str' } },
  rawFreeForm: true,
  checkMode: false,
  async run(args, ctx) {
    const text = args._raw_params as string;
    const exe = args.executable as string | null;
    const r = await ctx.conn.exec(`${shQuote(exe ?? '/bin/sh')} -c ${shQuote(text)}`);
    return shellResult(r.rc, r.stdout, r.stderr);
  },
};

export const scriptModule: ModuleDef = {
  name: 'script',
  spec: {
    _raw_params: { type: 'str' },
    cmd: { type: 'str' },
    chdir: { type: 'str' },
    creates: { type: 'str' },
    removes: { type: 'str' },
    executable: { type: 'str' },
    decrypt: { type: 'bool', default: true },
  },
  freeForm: true,
  checkMode: true,
  async run(args, ctx) {
    const line = (args.cmd as string | null) ?? (args._raw_params as string | null);
    if (!line) return { failed: true, changed: false, msg: 'script requires a script path' };
    const [scriptName, ...rest] = shSplit(line);
    const local = ctx.controller.findFile('files', scriptName as string);
    if (!local) return { failed: true, changed: false, msg: `Could not find or access '${scriptName}' on the Ansible Controller.` };
    const test = async (p: string) => (await ctx.conn.exec(`[ -e ${shQuote(p)} ]`)).rc === 0;
    if (args.creates && (await test(args.creates as string))) {
      return { changed: false, skipped: true, msg: `${args.creates} exists, matching creates option`, rc: 0, stdout: '', stderr: '' };
    }
    if (args.removes && !(await test(args.removes as string))) {
      return { changed: false, skipped: true, msg: `${args.removes} does not exist, matching removes option`, rc: 0, stdout: '', stderr: '' };
    }
    if (ctx.check) {
      // as Ansible's script action: with creates/removes (not matched above) it would run, so
      // changed; without them it cannot tell what the script would do, so it skips unchanged
      if (args.creates || args.removes) return { changed: true };
      return { changed: false, skipped: true, msg: 'Check mode is not supported for this task.' };
    }
    const mk = await ctx.conn.exec('mktemp "${TMPDIR:-/tmp}/tsible-script.XXXXXX"');
    const remote = mk.stdout.trim();
    await ctx.conn.put(fs.readFileSync(local), remote);
    const exe = args.executable as string | null;
    let cmd = `${exe ? shQuote(exe) + ' ' : ''}${shQuote(remote)}${rest.length ? ' ' + rest.map(shQuote).join(' ') : ''}`;
    if (args.chdir) cmd = `cd ${shQuote(args.chdir as string)} && ${cmd}`;
    const r = await ctx.conn.exec(`chmod u+x ${shQuote(remote)}; ${cmd}; rc=$?; rm -f ${shQuote(remote)}; exit $rc`);
    const res = shellResult(r.rc, r.stdout, r.stderr);
    return res;
  },
};
