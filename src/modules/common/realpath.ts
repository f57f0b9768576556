// realpath(1) on the target without a process where the shell can do it (cd -P), and
// length-prefixed records so paths with newlines survive the trip back.
import * as posix from 'path/posix';
import { shQuote } from '../../connection/quote';

/** sh setting $<variable> to realpath(path) (readlink -f semantics), forking only for links and odd paths. */
export function realpathScript(path: string, variable = '_tsr'): string {
  const q = shQuote(path);
  const slow = `${variable}=$(readlink -f -- ${q} 2>/dev/null)`;
  // an absolute path without ., .. or // parts: cd -P resolves its directory in the shell itself
  const simple = (x: string) => x.startsWith('/') && !/\/\.{0,2}(\/|$)/.test(x);
  const bare = path.replace(/\/+$/, '');
  if (bare !== path && bare !== '' && simple(bare)) {
    // "dir/": only a directory can be meant, and cd -P resolves it whole
    return `_tso=$PWD; if [ -d ${q} ] && cd -P -- ${q} 2>/dev/null; then ${variable}=$PWD; cd -- "$_tso" 2>/dev/null; else ${slow}; fi`;
  }
  if (!simple(path)) return slow;
  const dir = posix.dirname(path);
  const base = posix.basename(path);
  return (
    `if [ -L ${q} ]; then ${slow}; else _tso=$PWD; ` +
    `if cd -P -- ${shQuote(dir)} 2>/dev/null; then ${variable}=\${PWD%/}/${shQuote(base)}; cd -- "$_tso" 2>/dev/null; else ${slow}; fi; fi`
  );
}

/** sh printing `<tag> <byte length> <value>` for a variable. */
export function sizedRecord(tag: string, variable: string): string {
  return `printf '${tag} %s %s\\n' "\${#${variable}}" "$${variable}"`;
}

/** Reads a sizedRecord from the output bytes (the value may contain newlines); undefined when missing. */
export function readSizedRecord(out: Buffer, tag: string): string | undefined {
  const head = Buffer.from(`${tag} `);
  let at = out.indexOf(head);
  while (at > 0 && out[at - 1] !== 0x0a) at = out.indexOf(head, at + 1);
  if (at < 0) return undefined;
  const sp = out.indexOf(0x20, at + head.length);
  const len = Number(out.subarray(at + head.length, sp).toString('latin1'));
  if (sp < 0 || !Number.isInteger(len)) return undefined;
  return out.subarray(sp + 1, sp + 1 + len).toString('utf8');
}
