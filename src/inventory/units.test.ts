// INI values, host-line splitting, host ranges, addresses and pattern splitting, each
// compared with what Ansible 2.14's own helpers return (recorded by record_units.py).
import * as fs from 'fs';
import * as path from 'path';
import { PyFloat } from '../template/pyvalues';
import { AddressError, expandHostnameRange, parseAddress } from './address';
import { parseIniValue } from './ini';
import { splitHostPattern } from './patterns';
import { shlexSplit } from '../util/shlex';

type Outcome = { ok: unknown } | { error: string };
const units = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../test/fixtures/inventory/units.expected.json'), 'utf8'),
) as Record<'values' | 'lines' | 'ranges' | 'addresses' | 'splits', [string, Outcome][]>;

/** Our values in the recorder's notation: integral floats as {float: n}. */
function recorded(v: unknown): unknown {
  if (v instanceof PyFloat) return { float: v.value };
  if (Array.isArray(v)) return v.map(recorded);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, recorded(x)]));
  return v;
}

function outcome(run: () => unknown): Outcome {
  try {
    return { ok: recorded(run()) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

// Python complex numbers have no counterpart in our value model: we keep the text.
const KNOWN_DEVIATIONS = new Set(['3.14j']);

describe('INI values are Python literals when they parse as one', () => {
  test.each(units.values.filter(([v]) => !KNOWN_DEVIATIONS.has(v)))('%j', (text, expected) => {
    expect(outcome(() => parseIniValue(text))).toEqual(expected);
  });
  test('complex literals stay text (deviation)', () => {
    expect(parseIniValue('3.14j')).toBe('3.14j');
  });
});

describe('host lines split like shlex.split(comments=True)', () => {
  test.each(units.lines)('%j', (line, expected) => {
    expect(outcome(() => shlexSplit(line))).toEqual(expected);
  });
});

describe('host ranges expand like expand_hostname_range', () => {
  test.each(units.ranges)('%j', (pattern, expected) => {
    expect(outcome(() => expandHostnameRange(pattern))).toEqual(expected);
  });
});

describe('addresses parse like parse_address(allow_ranges=True)', () => {
  test.each(units.addresses)('%j', (address, expected) => {
    expect(
      outcome(() => {
        const { host, port } = parseAddress(address, true);
        return [host, port ?? null];
      }),
    ).toEqual(expected);
  });
  test('ranges are refused when not allowed', () => {
    expect(() => parseAddress('web[1:2]', false)).toThrow(AddressError);
  });
});

describe('host patterns split like split_host_pattern', () => {
  test.each(units.splits)('%j', (pattern, expected) => {
    expect(outcome(() => splitHostPattern(pattern))).toEqual(expected);
  });
});
