// Template files rendered as Ansible 2.14's template module does; expected outputs were
// produced by real ansible-playbook from the same sources (fixtures/files).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TemplateFileOptions } from '../modules/types';
import { Templar } from './templar';
import { testPlugins } from './test-plugins';

const dir = path.join(__dirname, 'fixtures', 'files');
const vars = { title: 'Demo', users: [{ name: 'alice', admin: true }, { name: 'bob', admin: false }] };

function templar(): Templar {
  return new Templar(vars, { plugins: testPlugins });
}

const cases: [string, string, TemplateFileOptions][] = [
  ['basic.j2', 'basic.j2.out', {}],
  ['lstrip.j2', 'lstrip.j2.out', {}],
  ['notrim.j2', 'notrim.j2.out', {}],
  ['include.j2', 'include.j2.out', {}],
  ['imports.j2', 'imports.j2.out', {}],
  ['child.j2', 'child.j2.out', {}],
  ['nonl.j2', 'nonl.j2.out', {}],
  ['twonl.j2', 'twonl.j2.out', {}],
  ['ws.j2', 'ws.j2.out', {}],
  ['delims.j2', 'delims.j2.out', { variableStartString: '[[', variableEndString: ']]', blockStartString: '<%', blockEndString: '%>' }],
  ['crlf.j2', 'crlf.j2.out', { newlineSequence: '\r\n' }],
  ['basic.j2', 'basic-lstrip.j2.out', { lstripBlocks: true, trimBlocks: false }],
];

describe('renderFile matches the template module', () => {
  test.each(cases)('%s -> %s', (src, out, opts) => {
    const expected = fs.readFileSync(path.join(dir, 'expected', out), 'utf8');
    expect(templar().renderFile(path.join(dir, src), opts)).toBe(expected);
  });
});

describe('template file variables', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'templar-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('template_* and ansible_managed', () => {
    const file = path.join(tmp, 't.j2');
    fs.writeFileSync(file, '{{ template_path }}|{{ template_fullpath }}|{{ template_destpath }}|{{ template_host }}|{{ ansible_managed }}\n');
    const t = new Templar({}, { ansibleManaged: 'Managed by {uid} on {host}: {file}' });
    const out = t.renderFile(file, { dest: '/etc/x.conf' });
    const uid = os.userInfo().username;
    expect(out).toBe(`${file}|${file}|/etc/x.conf|${os.hostname()}|Managed by ${uid} on ${os.hostname()}: ${file}\n`);
  });

  test('include resolves against searchPath first', () => {
    fs.mkdirSync(path.join(tmp, 'templates'));
    fs.writeFileSync(path.join(tmp, 'templates', 'part.j2'), 'from search path');
    fs.writeFileSync(path.join(tmp, 'part.j2'), 'from own dir');
    fs.writeFileSync(path.join(tmp, 'main.j2'), '[{% include "part.j2" %}]\n');
    const t = new Templar({}, { searchPath: [path.join(tmp, 'templates')] });
    expect(t.renderFile(path.join(tmp, 'main.j2'))).toBe('[from search path]\n');
    expect(new Templar({}, {}).renderFile(path.join(tmp, 'main.j2'))).toBe('[from own dir]\n');
  });

  test('undefined variable in a file is reported like the template action', () => {
    const file = path.join(tmp, 'u.j2');
    fs.writeFileSync(file, 'line1\n{{ nope }}\n');
    expect(() => new Templar({}, {}).renderFile(file)).toThrow("AnsibleUndefinedVariable: 'nope' is undefined. 'nope' is undefined");
  });

  test('errors carry the template file and line', () => {
    const file = path.join(tmp, 'p.j2');
    fs.writeFileSync(path.join(tmp, 'inc.j2'), 'ok\n{{ 1 + "a" }}\n');
    fs.writeFileSync(file, 'a\nb\n{{ nope }}\n');
    const err = (fn: () => unknown): Record<string, unknown> => {
      try {
        fn();
      } catch (e) {
        return e as Record<string, unknown>;
      }
      throw new Error('expected an error');
    };
    const t = new Templar({}, {});
    expect(err(() => t.renderFile(file))).toMatchObject({ templateLine: 3, templatePath: file });
    fs.writeFileSync(file, 'x\n{% include "inc.j2" %}\n');
    expect(err(() => t.renderFile(file))).toMatchObject({ templateLine: 2, templatePath: path.join(tmp, 'inc.j2') });
    fs.writeFileSync(file, 'x\n\n{% if %}\n');
    const syntax = err(() => t.renderFile(file));
    expect(syntax).toMatchObject({ templateLine: 3 });
    expect(String(syntax.message)).toContain("template error while templating string: Expected an expression, got 'end of statement block'");
  });

  test('a JSON-looking file stays text', () => {
    const file = path.join(tmp, 'j.j2');
    fs.writeFileSync(file, '{"a": {{ n }}}\n');
    expect(new Templar({ n: 1 }, {}).renderFile(file)).toBe('{"a": 1}\n');
  });
});

describe('inheritance', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'templar-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('extends with super() across three levels, and self.block()', () => {
    fs.writeFileSync(path.join(tmp, 'base.j2'), '<{% block b %}base{% endblock %}>\n');
    fs.writeFileSync(path.join(tmp, 'mid.j2'), "{% extends 'base.j2' %}{% block b %}mid+{{ super() }}{% endblock %}");
    fs.writeFileSync(path.join(tmp, 'leaf.j2'), "{% extends 'mid.j2' %}{% block b %}leaf+{{ super() }}{% endblock %}");
    fs.writeFileSync(path.join(tmp, 'self.j2'), '{% block t %}T{% endblock %}|{{ self.t() }}\n');
    const t = new Templar({}, {});
    expect(t.renderFile(path.join(tmp, 'leaf.j2'))).toBe('<leaf+mid+base>');
    expect(t.renderFile(path.join(tmp, 'self.j2'))).toBe('T|T\n');
  });

  test('import without exporting self; include ignore missing and lists', () => {
    fs.writeFileSync(path.join(tmp, 'm.j2'), '{% macro hi(n) %}hi {{ n }}{% endmacro %}');
    fs.writeFileSync(path.join(tmp, 'h.j2'), 'H');
    fs.writeFileSync(
      path.join(tmp, 'main.j2'),
      "{% import 'm.j2' as m %}{{ m.hi(1) }}|{{ m.self is defined }}|a{% include 'nope.j2' ignore missing %}b|{% include ['nope.j2', 'h.j2'] %}\n",
    );
    expect(new Templar({}, {}).renderFile(path.join(tmp, 'main.j2'))).toBe('hi 1|False|ab|H\n');
  });
});
