// to_datetime: strptime parsing, Python-style printing and naive arithmetic via epochSeconds.
import { filters } from '.';
import { fakeContext } from './__fixtures__/context';
import { PyDateTime } from './datetime';

const ctx = fakeContext();

describe('to_datetime', () => {
  test('parses the default format and prints like Python', () => {
    const d = filters.to_datetime(ctx, '2016-08-14 20:00:12', [], {}) as PyDateTime;
    expect(d).toBeInstanceOf(PyDateTime);
    expect(String(d)).toBe('2016-08-14 20:00:12');
    expect(filters.type_debug(ctx, d, [], {})).toBe('datetime');
  });
  test('custom formats, differences in seconds via epochSeconds', () => {
    const a = filters.to_datetime(ctx, '2016-08-14', ['%Y-%m-%d'], {}) as PyDateTime;
    const b = filters.to_datetime(ctx, '14/Aug/2016 08:30PM', ['%d/%b/%Y %I:%M%p'], {}) as PyDateTime;
    expect(b.epochSeconds - a.epochSeconds).toBe(20 * 3600 + 30 * 60);
    expect(b.strftime('%Y-%m-%dT%H:%M')).toBe('2016-08-14T20:30');
  });
  test('a mismatch is the ValueError Python raises', () => {
    expect(() => filters.to_datetime(ctx, '2016-08-14', [], {})).toThrow("time data '2016-08-14' does not match format '%Y-%m-%d %H:%M:%S'");
  });
});
