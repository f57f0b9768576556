// Data tests of the authorized_keys parser and planner (no host).
import { parseKeyLine, parseKeyOptions, planKeys, serializeKeys, parseKeysFile } from './authorized-keys-file';

const K1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEsDtEa4kWDdOZ8dWCS5ogyj6UTlRUqc8nqNv+WoKFiO';
const K2 = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ';

test.each([
  ['no-pty', [['no-pty', null]]],
  ['from="a,b",no-pty,command="x y"', [['from', '"a,b"'], ['no-pty', null], ['command', '"x y"']]],
  ['environment="A=1",environment="B=2"', [['environment', '"A=1"'], ['environment', '"B=2"']]],
])('options %s', (text, want) => expect(parseKeyOptions(text)).toEqual(want));

test('key lines', () => {
  expect(parseKeyLine(`${K1} me@host extra`, 3)).toEqual({ id: K1.split(' ')[1], type: 'ssh-ed25519', options: [], comment: 'me@host extra', rank: 3 });
  expect(parseKeyLine(`no-pty ${K1}`, 0)?.options).toEqual([['no-pty', null]]);
  expect(parseKeyLine('# a comment\n', 0)?.type).toBe('skipped');
  expect(parseKeyLine('garbage here', 0)).toBeNull();
});

test('a key without comment is written with a trailing space; duplicates collapse', () => {
  expect(serializeKeys(parseKeysFile(`${K1}\n${K1} again\n`))).toBe(`${K1} again\n`);
  expect(planKeys('', { keys: K2, present: true, exclusive: false, keyOptions: null, comment: null })).toEqual({ changed: true, content: `${K2} \n` });
});

test('present keeps order, replaces a key whose options changed, exclusive drops others', () => {
  const file = `# top\n${K1} one\n${K2} two\n`;
  const same = planKeys(file, { keys: `${K2} two`, present: true, exclusive: false, keyOptions: null, comment: null });
  expect(same).toEqual({ changed: false, content: file });
  const opts = planKeys(file, { keys: `${K1} one`, present: true, exclusive: false, keyOptions: 'no-pty', comment: null });
  expect(opts.content).toBe(`# top\n${K2} two\nno-pty ${K1} one\n`);
  const excl = planKeys(file, { keys: `${K2} two`, present: true, exclusive: true, keyOptions: null, comment: null });
  expect(excl.content).toBe(`${K2} two\n`);
  const absent = planKeys(file, { keys: `${K1} whatever`, present: false, exclusive: false, keyOptions: null, comment: null });
  expect(absent.content).toBe(`# top\n${K2} two\n`);
  expect(planKeys(file, { keys: 'bad key', present: true, exclusive: false, keyOptions: null, comment: null }).invalid).toBe('bad key');
});
