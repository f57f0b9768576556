// The non-throwing filesystem predicates, on real paths in a temp dir.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDirectory, isFile, isReadable, isReadableFile } from './fs';

describe('util/fs predicates', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'util-fs-'));
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'broken'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('tells files from directories and answers false for missing or broken paths', () => {
    const f = path.join(dir, 'f');
    expect([isFile(f), isDirectory(f), isReadable(f), isReadableFile(f)]).toEqual([true, false, true, true]);
    expect([isFile(dir), isDirectory(dir), isReadable(dir), isReadableFile(dir)]).toEqual([false, true, true, false]);
    for (const p of [path.join(dir, 'nope'), path.join(dir, 'broken')]) {
      expect([isFile(p), isDirectory(p), isReadable(p), isReadableFile(p)]).toEqual([false, false, false, false]);
    }
  });

  it('counts a readable device as readable but not as a readable file', () => {
    expect(isReadable('/dev/null')).toBe(true);
    expect(isReadableFile('/dev/null')).toBe(false);
  });
});
