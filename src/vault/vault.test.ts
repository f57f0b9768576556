// The vault format against the machine's ansible-vault (both directions) and the secret rules:
// label order, vault_id_match, wrong and missing secrets, malformed text.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encryptVault } from './envelope';
import { Vault, vaultSources } from './secrets';

const pw = (s: string) => Buffer.from(s);

describe('vault', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-vault-'));
    fs.writeFileSync(path.join(dir, 'pw'), 'hunter2\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reads what ansible-vault encrypts (1.1 and 1.2 headers)', () => {
    const file = path.join(dir, 'plain.yml');
    fs.writeFileSync(file, 'a: 1\n');
    execFileSync('ansible-vault', ['encrypt', '--vault-id', 'lab@' + path.join(dir, 'pw'), file]);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('$ANSIBLE_VAULT;1.2;AES256;lab\n')).toBe(true);
    expect(new Vault([{ id: 'lab', password: pw('hunter2') }]).decrypt(text).toString()).toBe('a: 1\n');
    fs.writeFileSync(file, 'b: 2\n');
    execFileSync('ansible-vault', ['encrypt', '--vault-password-file', path.join(dir, 'pw'), file]);
    expect(new Vault([{ id: 'default', password: pw('hunter2') }]).decrypt(fs.readFileSync(file, 'utf8')).toString()).toBe('b: 2\n');
  });

  test('ansible-vault reads what tsible encrypts', () => {
    const file = path.join(dir, 'ours.txt');
    fs.writeFileSync(file, encryptVault(pw('exactly sixteen!'), pw('hunter2'), 'lab'));
    expect(execFileSync('ansible-vault', ['decrypt', '--vault-password-file', path.join(dir, 'pw'), '--output', '-', file]).toString()).toBe('exactly sixteen!');
  });

  test('any secret may decrypt unless vault ids must match; the label is tried first', () => {
    const text = encryptVault(pw('x'), pw('right'), 'prod');
    const secrets = [{ id: 'dev', password: pw('wrong') }, { id: 'other', password: pw('right') }];
    expect(new Vault(secrets).decrypt(text).toString()).toBe('x');
    expect(() => new Vault(secrets, true).decrypt(text, 'f.yml')).toThrow('Decryption failed (no vault secrets were found that could decrypt) on f.yml');
  });

  test('missing secrets, wrong secrets and malformed text have Ansible messages without the plaintext', () => {
    const text = encryptVault(pw('top secret'), pw('right'));
    expect(() => new Vault([]).decrypt(text)).toThrow('Attempting to decrypt but no vault secrets found');
    let message = '';
    try {
      new Vault([{ id: 'default', password: pw('wrong') }]).decrypt(text);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('Decryption failed (no vault secrets were found that could decrypt)');
    expect(() => new Vault([{ id: 'default', password: pw('right') }]).decrypt('$ANSIBLE_VAULT;1.1;AES256\nzz\n', 'v.yml')).toThrow(/vault format error in v.yml/);
  });

  test('sources in ansible-playbook order: identity list, --vault-id, password files, prompt', () => {
    expect(
      vaultSources({ vaultIds: ['a@f1', 'f2'], passwordFiles: ['p'], askVaultPass: true, identityList: ['cfg@c'], defaultPasswordFile: 'd', defaultIdentity: 'default' }),
    ).toEqual([
      { id: 'cfg', source: 'c' },
      { id: 'a', source: 'f1' },
      { id: 'default', source: 'f2' },
      { id: 'default', source: 'p' },
      { id: 'default', source: 'd' },
      { id: 'default', source: 'prompt_ask_vault_pass' },
    ]);
  });
});
