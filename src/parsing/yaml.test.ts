// YAML 1.1 loading checked against PyYAML's answers (recorded in test/fixtures/yaml).
import * as path from 'path';
import { PyFloat } from '../template/pyvalues';
import { loadYamlText, PositionMap } from './yaml';

const cases: [string, string, unknown][] = require(path.join(__dirname, '../../test/fixtures/yaml/pyyaml-scalars.json'));

function pyType(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'number') return Number.isInteger(v) && Number.isFinite(v) ? 'int' : 'float';
  return 'str';
}

describe('PyYAML scalar resolution', () => {
  test.each(cases)('%s', (text, type, value) => {
    const v = (loadYamlText(`v: ${text}`, 't.yml') as { v: unknown }).v;
    if (type === 'date') {
      expect(v).toBe(value); // dates stay strings (documented difference)
      return;
    }
    expect(pyType(v)).toBe(type);
    const plain = v instanceof PyFloat ? v.value : v;
    if (value === 'Infinity' || value === '-Infinity') expect(plain).toBe(Number(value));
    else expect(plain).toEqual(value);
  });
});

describe('structure', () => {
  test('merge keys, anchors, positions', () => {
    const positions = new PositionMap();
    const doc = loadYamlText('base: &b {x: 1, y: 1}\nm:\n  <<: *b\n  y: 2\nlist:\n  - name: a\n    debug: msg=hi\n', 'f.yml', {
      positions,
    }) as Record<string, any>;
    expect(doc.m).toEqual({ x: 1, y: 2 });
    expect(positions.get(doc.list[0])).toEqual({ file: 'f.yml', line: 6, column: 5 });
  });
  test('quoted yes stays a string; duplicate keys: last wins', () => {
    expect(loadYamlText('a: "yes"\nb: 1\nb: 2\n', 'f.yml')).toEqual({ a: 'yes', b: 2 });
  });
  test('syntax errors carry file and line', () => {
    expect(() => loadYamlText('a: [1, 2\nb: 3\n', 'bad.yml')).toThrow(/Syntax Error while loading YAML/);
    let error: any;
    try {
      loadYamlText('- hosts: all\n  vars:\n    a: b: c\n', 'bad.yml');
    } catch (e) {
      error = e;
    }
    expect(error.location.file).toBe('bad.yml');
    expect(error.location.line).toBeGreaterThan(0);
  });
  test('empty document is null', () => {
    expect(loadYamlText('', 'e.yml')).toBeNull();
    expect(loadYamlText('---\n', 'e.yml')).toBeNull();
  });
});
