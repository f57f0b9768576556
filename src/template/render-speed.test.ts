// The speed work must not change behaviour: lazy variables are rendered once per render
// (as Jinja2 resolves a name once per template) but never reused across renders, parsed
// templates are shared through TemplarShared, and line numbers still point at the right line.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TemplateError } from '../errors';
import type { FilterFn } from './plugin-types';
import { loadPlugins } from './plugins';
import { PyFloat } from './pyvalues';
import { Templar, type TemplarShared } from './templar';
import type { TemplateErrorPosition } from './render';

function counting(): { calls: number; plugins: { filters: Record<string, FilterFn> } } {
  const state = { calls: 0, plugins: { filters: {} as Record<string, FilterFn> } };
  state.plugins.filters.counted = (_ctx, value) => {
    state.calls++;
    return value;
  };
  return state;
}

describe('lazy variables within and across renders', () => {
  test('a lazy variable used twice in one render is templated once', () => {
    const c = counting();
    const t = new Templar({ expensive: "{{ 'v' | counted }}" }, { plugins: c.plugins });
    expect(t.template('{{ expensive }} {{ expensive }}{% for i in [1, 2, 3] %}{{ expensive }}{% endfor %}')).toBe('v vvvv');
    expect(c.calls).toBe(1);
  });
  test('each render sees the variables as they are now', () => {
    const c = counting();
    const vars: Record<string, unknown> = { name: "{{ 'a' | counted }}" };
    const t = new Templar(vars, { plugins: c.plugins });
    expect(t.template('{{ name }}')).toBe('a');
    vars.name = "{{ 'b' | counted }}";
    expect(t.template('{{ name }}-{{ name }}')).toBe('b-b');
    expect(t.evaluate('name')).toBe('b');
    expect(c.calls).toBe(3);
  });
  test('an error while rendering leaves no memo behind', () => {
    const vars: Record<string, unknown> = { x: '{{ missing }}' };
    const t = new Templar(vars);
    expect(() => t.template('{{ x }}')).toThrow(TemplateError);
    vars.missing = 'now';
    expect(t.template('{{ x }}')).toBe('now');
  });
  test('self-reference is still detected', () => {
    expect(() => new Templar({ a: '{{ b }}', b: '{{ a }}' }).template('{{ a }}')).toThrow('recursive loop detected');
  });
});

describe('templar construction and the shared parse cache', () => {
  test('templars built over one TemplarShared reuse parsed templates', () => {
    const shared: TemplarShared = { options: {}, plugins: loadPlugins(), cache: new Map() };
    for (let i = 0; i < 5; i++) expect(new Templar({ n: i }, {}, shared).template('n={{ n }}')).toBe(`n=${i}`);
    expect(shared.cache.size).toBe(1);
  });
  test('inline strings and template files with the same text do not share a parse', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-speed-'));
    const file = path.join(dir, 't.j2');
    const text = '{% if true %}\nx\n{% endif %}\n';
    fs.writeFileSync(file, text);
    const shared: TemplarShared = { options: {}, plugins: loadPlugins(), cache: new Map() };
    const t = new Templar({}, {}, shared);
    expect(t.template(text)).toBe('x\n');
    // trim_blocks off for the file: the newline after the tag stays, so a shared parse would show
    expect(t.renderFile(file, { trimBlocks: false }).startsWith('\nx\n')).toBe(true);
    expect(shared.cache.size).toBe(2);
    fs.rmSync(dir, { recursive: true });
  });
  test('strings without a brace come back as they are', () => {
    const t = new Templar({});
    const plain = { a: 'no template here', b: ['x}}', '%}'], c: 'a { b' };
    expect(t.isTemplate(plain)).toBe(false);
    expect(t.template(plain)).toEqual(plain);
    expect(t.isTemplate({ 'k{{x}}': 1 })).toBe(true);
  });
});

describe('line numbers after the lexer rewrite', () => {
  test('an error on line 40 of a long template reports line 40', () => {
    const lines = Array.from({ length: 60 }, (_, i) => (i === 39 ? '{{ undefined_thing.attr }}' : `line {{ ${i} }}`));
    let caught: unknown;
    try {
      new Templar({}).template(lines.join('\n'));
    } catch (e) {
      caught = e;
    }
    expect((caught as TemplateErrorPosition).templateLine).toBe(40);
  });
});

describe('from_json keeps floats', () => {
  test('2.0 and 1e3 stay floats, 3 stays an int, strings and nesting survive', () => {
    const v = new Templar({}).evaluate(`'{"a": [1, 2.0, "x.y"], "b": {"c": 1e3, "d": -0.5, "e": null}, "f": true}' | from_json`) as Record<string, unknown>;
    const a = v.a as unknown[];
    expect(a[0]).toBe(1);
    expect(a[1]).toBeInstanceOf(PyFloat);
    expect(Number(a[1])).toBe(2);
    expect(a[2]).toBe('x.y');
    const b = v.b as Record<string, unknown>;
    expect(b.c).toBeInstanceOf(PyFloat);
    expect(Number(b.d)).toBe(-0.5);
    expect(Object.keys(b)).toEqual(['c', 'd', 'e']);
    expect(v.f).toBe(true);
  });
});
