// Data tests of the archive's walk order and common root (no host).
import { commonRoot, walkOrder } from './archive-walk';

test('commonRoot is the parent shared by all paths, with a trailing slash', () => {
  expect(commonRoot(['/a/b/src'])).toBe('/a/b/');
  expect(commonRoot(['/a/b/x.txt', '/a/b/sub'])).toBe('/a/b/');
  expect(commonRoot(['/a/bc/x', '/a/bd/y'])).toBe('/a/');
  expect(commonRoot(['/x', '/y'])).toBe('/');
});

test('walkOrder lists each directory\'s subdirectories, then its files, then descends (os.walk)', () => {
  const listing = [
    { path: '/t/f1', isDir: false }, { path: '/t/d1', isDir: true }, { path: '/t/d1/g', isDir: false },
    { path: '/t/f2', isDir: false }, { path: '/t/d2', isDir: true },
  ];
  expect(walkOrder('/t', listing)).toEqual(['/t/d1', '/t/d2', '/t/f1', '/t/f2', '/t/d1/g']);
});
