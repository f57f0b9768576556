// Templar API behaviour beyond the parity fixtures: lookups, withVars, lazy mappings,
// conditionals, options, caching. Expected values were checked against Ansible 2.14.
import { TemplateError, UndefinedVariableError } from '../errors';
import { Templar } from './templar';
import { LAZY, type LazyMapping, PyFloat, Undefined } from './pyvalues';
import { testPlugins } from './test-plugins';
import { pyDatetime } from './pydatetime';
import type { LookupFn } from './plugin-types';

const fail: LookupFn = () => {
  throw new TemplateError('could not locate file in lookup: /nonexistent');
};
const plugins = { ...testPlugins, lookups: { ...testPlugins.lookups, file: fail } };
const mk = (vars: Record<string, unknown> = {}): Templar => new Templar(vars, { plugins });

describe('lookups', () => {
  test.each([
    ["{{ lookup('items', 'a', 'b') }}", 'a,b'],
    ["{{ lookup('items', 1) }}", '1'],
    ["{{ lookup('items', 1, 2) }}", [1, 2]],
    ["{{ lookup('items', []) }}", []],
    ["{{ query('items', 'a') }}", ['a']],
    ["{{ lookup('items', 'a', wantlist=True) }}", ['a']],
    ["{{ q('items', 'a', 'b') }}", ['a', 'b']],
    ["{{ lookup('file', '/nonexistent', errors='ignore') }}", ''],
    ["{{ lookup('ansible.builtin.items', 'a') }}", 'a'],
    ["x{{ lookup('items', 'a', 'b') }}", 'xa,b'],
    ["{{ lookup('echo', 'a', suffix='!') }}", 'a!'],
  ])('%s', (tpl, expected) => {
    expect(mk().template(tpl)).toEqual(expected);
  });

  test('errors', () => {
    expect(() => mk().template("{{ lookup('file', '/nonexistent') }}")).toThrow(
      "An unhandled exception occurred while running the lookup plugin 'file'. Error was a <class 'ansible.errors.AnsibleError'>, original message: could not locate file in lookup: /nonexistent. could not locate file in lookup: /nonexistent",
    );
    expect(() => mk().template("{{ lookup('nosuch', 1) }}")).toThrow('lookup plugin (nosuch) not found');
    expect(() => mk().template("{{ lookup('items', nope) }}")).toThrow("'nope' is undefined. 'nope' is undefined");
    expect(() => mk().template("{{ lookup('boom') }}")).toThrow("Error was a <class 'Error'>, original message: kaboom");
  });
});

describe('variables', () => {
  test('withVars layers variables and shares the parse cache', () => {
    const base = mk({ a: 1, b: '{{ a + 1 }}' });
    const child = base.withVars({ a: 10 });
    expect(base.template('{{ b }}')).toBe('2');
    expect(child.template('{{ b }}')).toBe('11');
  });

  test('lazy mappings are read through get/has/keys', () => {
    const seen: string[] = [];
    const hostvars: LazyMapping = {
      [LAZY]: true,
      get: (k) => {
        seen.push(k);
        return k === 'web1' ? { ansible_host: '10.0.0.1' } : new Undefined(k);
      },
      has: (k) => k === 'web1',
      keys: () => ['web1'],
    };
    const t = mk({ hostvars });
    expect(t.template("{{ hostvars['web1'].ansible_host }}")).toBe('10.0.0.1');
    expect(t.template('{{ hostvars.keys() | list }}')).toEqual(['web1']);
    expect(t.template("{{ 'web1' in hostvars }}")).toBe(true);
    expect(t.template('{% for h in hostvars %}{{ h }}{% endfor %}')).toBe('web1');
    expect(seen).toContain('web1');
  });

  test('`vars` sees every variable, templated', () => {
    const t = mk({ x: 'X', y: '{{ x }}y', name: 'y' });
    expect(t.template('{{ vars[name] }}')).toBe('Xy');
    expect(t.template("{{ vars['nope'] | default('d') }}")).toBe('d');
  });

  test('nested templates in lists and dicts are rendered deeply', () => {
    const t = mk({ n: 2, l: ['{{ n }}', { k: '{{ n * 2 }}' }] });
    expect(t.template({ a: '{{ l }}', b: ['{{ n }}', 3] })).toEqual({ a: [2, { k: '4' }], b: [2, 3] });
  });

  test('a lone variable keeps its type; None passes as null', () => {
    const t = mk({ f: new PyFloat(2), n: null, b: false });
    expect(t.template('{{ f }}')).toEqual(new PyFloat(2));
    expect(t.template('{{ n }}')).toBeNull();
    expect(t.template('{{b}}')).toBe(false);
    expect(t.template('{{ f }} ')).toBe('2.0 ');
  });

  test('failOnUndefined: false returns the text unchanged', () => {
    expect(mk().template('a {{ nope }}', { failOnUndefined: false })).toBe('a {{ nope }}');
  });

  test('convertToString keeps text', () => {
    expect(mk().template('{{ [1, 2] }}', { convertToString: true })).toBe('[1, 2]');
    expect(mk().template('{{ true }}', { convertToString: true })).toBe('True');
  });

  test('omit token renders as a plain variable', () => {
    const t = new Templar({ omit: '__omit_place_holder__abc' }, { omitToken: '__omit_place_holder__abc', plugins });
    expect(t.template('{{ omit }}')).toBe('__omit_place_holder__abc');
    const implicit = new Templar({}, { omitToken: '__omit_place_holder__x', plugins });
    expect(implicit.template("{{ nope | default(omit) }}")).toBe('__omit_place_holder__x');
  });

  test('undefined error type', () => {
    try {
      mk().template('{{ nope }}');
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(UndefinedVariableError);
      expect((e as UndefinedVariableError).variable).toBe('nope');
    }
  });
});

describe('evaluate and isTemplate', () => {
  test('evaluate returns native values', () => {
    const t = mk({ l: [1, 2] });
    expect(t.evaluate('l | length')).toBe(2);
    expect(t.evaluate("'5'")).toBe('5');
    expect(() => t.evaluate('nope')).toThrow("'nope' is undefined");
    expect(t.evaluate('l + [3]')).toEqual([1, 2, 3]);
    expect(t.evaluate('l[0] == 1')).toBe(true);
  });
  test('isTemplate', () => {
    const t = mk();
    expect(t.isTemplate('a {{ b }}')).toBe(true);
    expect(t.isTemplate('{% if x %}{% endif %}')).toBe(true);
    expect(t.isTemplate('{# c #}')).toBe(true);
    expect(t.isTemplate('plain')).toBe(false);
    expect(t.isTemplate(['x', { k: '{{ y }}' }])).toBe(true);
    expect(t.isTemplate(5)).toBe(false);
  });
});

describe('conditionals', () => {
  test('non-string values', () => {
    const t = mk();
    expect(t.evaluateConditional(true)).toBe(true);
    expect(t.evaluateConditional(false)).toBe(false);
    expect(t.evaluateConditional(null)).toBe(true);
    expect(t.evaluateConditional(0)).toBe(false);
  });
  test('undefined message', () => {
    expect(() => mk().evaluateConditional('zz == 1')).toThrow(
      "The conditional check 'zz == 1' failed. The error was: error while evaluating conditional (zz == 1): 'zz' is undefined. 'zz' is undefined",
    );
  });
  test('type error message', () => {
    expect(() => mk({ s: 'a' }).evaluateConditional('s > 1')).toThrow(
      "The conditional check 's > 1' failed. The error was: Unexpected templating type error occurred on ({% if s > 1 %} True {% else %} False {% endif %}): '>' not supported between instances of 'str' and 'int'",
    );
  });
});

describe('parse cache', () => {
  test('same source parsed once per templar family', () => {
    const t = mk({ a: 1 });
    t.template('{{ a }}x');
    const child = t.withVars({ a: 2 });
    expect(child.template('{{ a }}x')).toBe('2x');
  });
});

describe('datetime values', () => {
  test('now() has strftime and attributes; now(fmt=) formats', () => {
    const t = mk();
    const year = String(new Date().getFullYear());
    expect(t.template("{{ now().strftime('%Y') }}")).toBe(year);
    expect(t.template('{{ now().year }}')).toBe(year);
    expect(t.template("{{ now(fmt='%Y') }}")).toBe(year);
    expect(t.template('{{ now(utc=true) }}')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/);
  });
});

describe('when lists and tuples', () => {
  test('a list of conditions must all hold', () => {
    const t = mk({ a: 1 });
    expect(t.evaluateConditional(['a == 1', 'a > 0'])).toBe(true);
    expect(t.evaluateConditional(['a == 1', 'a > 5'])).toBe(false);
    // evaluation stops at the first false item, like Ansible
    expect(t.evaluateConditional(['a > 5', 'nope == 1'])).toBe(false);
  });
  test('partition returns a tuple', () => {
    expect(mk().template("{{ 'k=v=x'.partition('=') }}")).toBe("('k', '=', 'v=x')");
  });
});

describe('datetime arithmetic', () => {
  test('difference is a timedelta; comparisons work', () => {
    const t = mk({ a: pyDatetime(new Date(Date.UTC(2024, 2, 2)), true), b: pyDatetime(new Date(Date.UTC(2024, 2, 1, 12)), true) });
    expect(t.template('{{ (a - b).total_seconds() }}')).toBe('43200.0');
    expect(t.template('{{ a - b }}')).toBe('12:00:00');
    expect(t.template('{{ a > b }}')).toBe(true);
    expect(t.template('{{ (a - b) + (a - b) }}')).toBe('1 day, 0:00:00');
  });
});
