// Snapshot of a directory tree: paths, types, modes, contents and link targets; declared
// crypto material by what it holds instead of its bytes (see crypto.ts).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isCryptoFile, summarizeCrypto, type CryptoOptions } from './crypto';

export interface TreeEntry {
  type: 'file' | 'dir' | 'link' | 'other';
  mode: string;
  content?: string; // utf8 text, or sha1:<hex> for binary/large files
  target?: string;
}

export function snapshotTree(root: string, scratch: string, cryptoOpts?: CryptoOptions): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {};
  if (!fs.existsSync(root)) return out;
  const cryptoFiles: string[] = [];
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const rel = path.relative(root, p);
      const st = fs.lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
      if (st.isSymbolicLink()) out[rel] = { type: 'link', mode: '', target: fs.readlinkSync(p).split(scratch).join('<SCRATCH>') };
      else if (st.isDirectory()) {
        out[rel] = { type: 'dir', mode };
        walk(p);
      } else if (st.isFile() && isCryptoFile(rel, cryptoOpts)) {
        out[rel] = { type: 'file', mode };
        cryptoFiles.push(rel);
      } else if (st.isFile()) {
        const buf = fs.readFileSync(p);
        const text = buf.toString('utf8');
        const isText = buf.length < 65536 && Buffer.from(text, 'utf8').equals(buf) && !text.includes('\0');
        out[rel] = {
          type: 'file',
          mode,
          content: isText ? text.split(scratch).join('<SCRATCH>') : 'sha1:' + crypto.createHash('sha1').update(buf).digest('hex'),
        };
      } else out[rel] = { type: 'other', mode };
    }
  };
  walk(root);
  if (cryptoOpts && cryptoFiles.length) {
    for (const [rel, summary] of summarizeCrypto(root, cryptoFiles, cryptoOpts)) (out[rel] as TreeEntry).content = summary;
  }
  return out;
}
