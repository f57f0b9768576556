// to_datetime: strptime parsing into the Templar's datetime objects (attributes, strftime, str()).
import { filters as filterRegistry } from '.';
import type { FilterFn } from '../plugin-types';
import { fakeContext } from './__fixtures__/context';
import { PyCallable, PyObject } from '../pyops';

// every registry entry called with the full plugin signature
const filters: { [K in keyof typeof filterRegistry]: FilterFn } = filterRegistry;
const ctx = fakeContext();
const call = (o: PyObject, name: string, ...args: unknown[]) => (o.attrs[name] as PyCallable).fn(args, {});

describe('to_datetime', () => {
  test('parses the default format and prints like Python', () => {
    const d = filters.to_datetime(ctx, '2016-08-14 20:00:12', [], {}) as PyObject;
    expect(String(d)).toBe('2016-08-14 20:00:12');
    expect(d.attrs.year).toBe(2016);
    expect(filters.type_debug(ctx, d, [], {})).toBe('datetime');
  });
  test('custom formats; timestamps differ by the right number of seconds', () => {
    const a = filters.to_datetime(ctx, '2016-08-14', ['%Y-%m-%d'], {}) as PyObject;
    const b = filters.to_datetime(ctx, '14/Aug/2016 08:30PM', ['%d/%b/%Y %I:%M%p'], {}) as PyObject;
    expect((call(b, 'timestamp') as number) - (call(a, 'timestamp') as number)).toBe(20 * 3600 + 30 * 60);
    expect(call(b, 'strftime', '%Y-%m-%dT%H:%M')).toBe('2016-08-14T20:30');
  });
  test('a mismatch is the ValueError Python raises', () => {
    expect(() => filters.to_datetime(ctx, '2016-08-14', [], {})).toThrow("time data '2016-08-14' does not match format '%Y-%m-%d %H:%M:%S'");
  });
});
