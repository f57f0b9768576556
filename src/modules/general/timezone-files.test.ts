// Data tests of the timezone files method (no host).
import { editConfig, filesValue, tzDistro } from './timezone-files';

const debian = tzDistro('debian', true, false);
const state = (files: Record<string, string | null>, link?: string) => ({
  files, localtime: { isLink: link !== undefined, exists: true, ...(link ? { link } : {}), sameAsPlanned: false },
});

test('name comes from /etc/timezone, then from the /etc/localtime link', () => {
  expect(filesValue('name', 'Asia/Tokyo', 'before', debian, state({ '/etc/timezone': 'Etc/UTC\n' }, '/usr/share/zoneinfo/Etc/UTC'))).toBe('Etc/UTC');
  expect(filesValue('name', 'Asia/Tokyo', 'before', debian, state({ '/etc/timezone': 'Asia/Tokyo\n' }, '/usr/share/zoneinfo/Etc/UTC'))).toBe('Etc/UTC');
  expect(filesValue('name', 'Asia/Tokyo', 'before', debian, state({ '/etc/timezone': 'Asia/Tokyo\n' }, '/usr/share/zoneinfo/Asia/Tokyo'))).toBe('Asia/Tokyo');
  expect(filesValue('name', 'Asia/Tokyo', 'before', debian, state({}))).toBe('n/a');
  expect(() => filesValue('name', 'X', 'after', debian, state({ '/etc/timezone': '\n' }))).toThrow('could not find a valid value');
});

test('hwclock from rcS, then /etc/adjtime', () => {
  expect(filesValue('hwclock', 'local', 'before', debian, state({}))).toBe('n/a');
  expect(filesValue('hwclock', 'UTC', 'before', debian, state({ '/etc/default/rcS': 'UTC=yes\n', '/etc/adjtime': '0.0 0 0\n0\nLOCAL\n' }))).toBe('local');
});

test('editConfig replaces the first match and drops the others', () => {
  expect(editConfig('# c\nZONE=a\nZONE=b\n', /^ZONE\s*=\s*"?([^"\s]+)"?/m, 'ZONE="c"\n')).toEqual({ content: '# c\nZONE="c"\n', deleted: 2 });
  expect(editConfig(null, /^([^\s]+)/m, 'Etc/UTC\n')).toEqual({ content: 'Etc/UTC\n', deleted: 0 });
});
