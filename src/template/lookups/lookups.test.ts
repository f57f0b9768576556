// Lookups against real files, processes and an HTTP server in a child process.
import * as fs from 'fs';
import { spawn } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { lookups as lookupRegistry } from '.';
import type { LookupFn } from '../plugin-types';
import { fakeContext } from '../filters/__fixtures__/context';
import { Undefined } from '../pyvalues';

// every registry entry called with the full plugin signature
const lookups: { [K in keyof typeof lookupRegistry]: LookupFn } = lookupRegistry;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-lookups-'));
  fs.mkdirSync(path.join(dir, 'files', 'conf'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'templates'));
  fs.writeFileSync(path.join(dir, 'files', 'motd.txt'), '\n  hello world  \n\n');
  fs.writeFileSync(path.join(dir, 'files', 'conf', 'a.conf'), 'a');
  fs.writeFileSync(path.join(dir, 'files', 'conf', 'b.conf'), 'b');
  fs.writeFileSync(path.join(dir, 'files', 'conf', 'c.txt'), 'c');
  fs.writeFileSync(path.join(dir, 'templates', 'greet.j2'), 'Hi {{ who }}');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ctx = () => fakeContext({ who: 'bob', color: 'red' }, dir);

describe('file lookups', () => {
  test('file strips the right side by default, lstrip on demand', () => {
    expect(lookups.file(ctx(), ['motd.txt'], {})).toEqual(['\n  hello world']);
    expect(lookups.file(ctx(), ['motd.txt'], { lstrip: true })).toEqual(['hello world']);
    expect(lookups.file(ctx(), ['motd.txt'], { rstrip: false })).toEqual(['\n  hello world  \n\n']);
    expect(() => lookups.file(ctx(), ['nope.txt'], {})).toThrow('could not locate file in lookup: nope.txt');
  });
  test('template renders with template_vars on top', () => {
    expect(lookups.template(ctx(), ['greet.j2'], {})).toEqual(['Hi bob']);
    expect(lookups.template(ctx(), ['greet.j2'], { template_vars: { who: 'amy' } })).toEqual(['Hi amy']);
  });
  test('fileglob matches files in the files/ search path', () => {
    const found = lookups.fileglob(ctx(), ['conf/*.conf'], {}) as string[];
    expect(found.map((f) => path.basename(f)).sort()).toEqual(['a.conf', 'b.conf']);
    expect(lookups.fileglob(ctx(), [path.join(dir, 'files', 'conf', '*.txt')], {})).toEqual([path.join(dir, 'files', 'conf', 'c.txt')]);
  });
  test('first_found: strings, dicts with files/paths, skip', () => {
    expect(lookups.first_found(ctx(), ['missing.txt', 'motd.txt'], {})).toEqual([path.join(dir, 'files', 'motd.txt')]);
    expect(lookups.first_found(ctx(), [{ files: ['x.conf', 'b.conf'], paths: ['conf'] }], {})).toEqual([path.join(dir, 'files', 'conf', 'b.conf')]);
    expect(lookups.first_found(ctx(), ['zzz'], { skip: true })).toEqual([]);
    expect(() => lookups.first_found(ctx(), ['zzz'], {})).toThrow('No file was found when using first_found.');
  });
  // Checked against ansible 2.14: keyword options only apply to string terms, and keyword files= replace them.
  test('first_found keyword options as 2.14 applies them', () => {
    expect(() => lookups.first_found(ctx(), [], { files: ['motd.txt'] })).toThrow('No file was found when using first_found.');
    expect(() => lookups.first_found(ctx(), [], { files: ['zzz'], skip: true })).toThrow('No file was found when using first_found.');
    expect(lookups.first_found(ctx(), ['zzz'], { files: 'motd.txt' })).toEqual([path.join(dir, 'files', 'motd.txt')]);
    // paths= with no files= leaves nothing to search, even for the string term
    expect(() => lookups.first_found(ctx(), ['b.conf'], { paths: 'nope:conf' })).toThrow('No file was found when using first_found.');
    expect(lookups.first_found(ctx(), [['zzz', ['motd.txt']]], {})).toEqual([path.join(dir, 'files', 'motd.txt')]);
  });
});

describe('process lookups', () => {
  test('env with default', () => {
    process.env.TSIBLE_TEST_VAR = 'v1';
    expect(lookups.env(ctx(), ['TSIBLE_TEST_VAR', 'TSIBLE_NOPE'], {})).toEqual(['v1', '']);
    expect(lookups.env(ctx(), ['TSIBLE_NOPE'], { default: 'dflt' })).toEqual(['dflt']);
  });
  test('pipe and lines run /bin/sh', () => {
    expect(lookups.pipe(ctx(), ['printf "a\\nb\\n\\n"'], {})).toEqual(['a\nb']);
    expect(lookups.lines(ctx(), ['printf "a\\nb\\n"'], {})).toEqual(['a', 'b']);
    expect(() => lookups.pipe(ctx(), ['exit 3'], {})).toThrow('returned 3');
  });
  test('url fetches from a real HTTP server in another process', async () => {
    // The lookup is synchronous, so the server must live outside this event loop.
    const server = spawn(process.execPath, ['-e', `
      const s = require('http').createServer((req, res) => {
        if (req.url === '/missing') { res.statusCode = 404; res.end('no'); }
        else res.end('line1\\nline2\\n');
      });
      s.listen(0, '127.0.0.1', () => console.log(s.address().port));`]);
    try {
      const port = await new Promise<string>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
      const base = `http://127.0.0.1:${port}`;
      expect(lookups.url(ctx(), [`${base}/ok`], {})).toEqual(['line1', 'line2']);
      expect(lookups.url(ctx(), [`${base}/ok`], { split_lines: false })).toEqual(['line1\nline2\n']);
      expect(() => lookups.url(ctx(), [`${base}/missing`], {})).toThrow('Received HTTP error');
    } finally {
      server.kill();
    }
  });
});

describe('data lookups', () => {
  test('vars resolves names, default and error', () => {
    expect(lookups.vars(ctx(), ['color'], {})).toEqual(['red']);
    expect(lookups.vars(ctx(), ['nope'], { default: 0 })).toEqual([0]);
    expect(() => lookups.vars(ctx(), ['nope'], {})).toThrow('No variable found with this name: nope');
  });
  test('items flattens one level; list keeps terms; dict gives key/value', () => {
    expect(lookups.items(ctx(), [[1, [2]], 3], {})).toEqual([1, [2], 3]);
    expect(lookups.list(ctx(), [[1, 2], 3], {})).toEqual([[1, 2], 3]);
    expect(lookups.dict(ctx(), [{ a: 1, b: 2 }], {})).toEqual([{ key: 'a', value: 1 }, { key: 'b', value: 2 }]);
  });
  // Recorded with ansible 2.14: lookup('sequence', ...) and query('sequence', ...).
  test.each([
    ['start=1 end=10 stride=3 format=x%02d', ['x01', 'x04', 'x07', 'x10']],
    ['4-0x10/4:h%x', ['h4', 'h8', 'hc', 'h10']],
    ['count=3 start=5', ['5', '6', '7']],
    ['count=0', []],
    ['start=5 end=1 stride=-2', ['5', '3', '1']],
  ])('sequence %s', (term, expected) => {
    expect(lookups.sequence(ctx(), [term], {})).toEqual(expected);
  });
  test('sequence errors', () => {
    expect(() => lookups.sequence(ctx(), ['start=5 end=1'], {})).toThrow('to count backwards make stride negative');
    expect(() => lookups.sequence(ctx(), ['end=0'], {})).toThrow('to count backwards make stride negative');
    expect(() => lookups.sequence(ctx(), ['count=2 end=4'], {})).toThrow("can't specify both count and end");
  });
  test('subelements, indexed_items, together, nested', () => {
    const users = [{ name: 'a', keys: ['k1', 'k2'] }, { name: 'b' }];
    // Recorded: the lookup drops the sub-list from the parent item (the filter keeps it).
    expect(lookups.subelements(ctx(), [users, 'keys', { skip_missing: true }], {})).toEqual([[{ name: 'a' }, 'k1'], [{ name: 'a' }, 'k2']]);
    expect(users[0]!.keys).toEqual(['k1', 'k2']);
    expect(() => lookups.subelements(ctx(), [users, 'keys'], {})).toThrow("could not find 'keys' key");
    expect(lookups.indexed_items(ctx(), ['a', 'b'], {})).toEqual([[0, 'a'], [1, 'b']]);
    expect(lookups.together(ctx(), [[1, 2], ['a']], {})).toEqual([[1, 'a'], [2, null]]);
    expect(lookups.nested(ctx(), [['x', 'y'], [1, 2]], {})).toEqual([['x', 1], ['x', 2], ['y', 1], ['y', 2]]);
  });
  test('inventory_hostnames asks the inventory', () => {
    expect(lookups.inventory_hostnames(ctx(), ['web'], {})).toEqual(['web1', 'web2']);
  });
  test('random_choice picks one of the terms', () => {
    const [pick] = lookups.random_choice(ctx(), ['a', 'b', 'c'], {});
    expect(['a', 'b', 'c']).toContain(pick);
  });
});

describe('password lookup', () => {
  test('seeded /dev/null passwords match Ansible exactly', () => {
    // Recorded: lookup('password', '/dev/null seed=myseed') and the chars/length variant.
    expect(lookups.password(ctx(), ['/dev/null seed=myseed'], {})).toEqual(['0MuyBT:n9PJ04hAgLZXx']);
    expect(lookups.password(ctx(), ['/dev/null chars=digits,punctuation length=12 seed=42'], {})).toEqual(['[@+636}@8$?+']);
  });
  test('creates the file once (mode 0600) and reads it back', () => {
    const [first] = lookups.password(ctx(), ['creds/db.txt length=8 chars=ascii_lowercase'], {}) as string[];
    expect(first).toMatch(/^[a-z]{8}$/);
    const file = path.join(dir, 'creds', 'db.txt');
    expect(fs.readFileSync(file, 'utf8')).toBe(first + '\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(lookups.password(ctx(), ['creds/db.txt length=8'], {})).toEqual([first]);
  });
  test('encrypt stores the salt and returns a SHA-crypt hash', () => {
    const [hash] = lookups.password(ctx(), ['creds/enc.txt encrypt=sha512_crypt'], {}) as string[];
    const stored = fs.readFileSync(path.join(dir, 'creds', 'enc.txt'), 'utf8');
    const m = /^(\S+) salt=(\S+)\n$/.exec(stored)!;
    expect(hash!.startsWith(`$6$${m[2]}$`)).toBe(true);
    expect(lookups.password(ctx(), ['creds/enc.txt encrypt=sha512_crypt'], {})).toEqual([hash]);
  });
  test('unknown parameters are rejected', () => {
    expect(() => lookups.password(ctx(), ['/dev/null bogus=1'], {})).toThrow('Unrecognized parameter(s) given to password lookup: bogus');
  });
});

test('Undefined is importable for plugin authors', () => {
  expect(new Undefined('x').message).toBe("'x' is undefined");
});
