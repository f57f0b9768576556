// The vault/unvault filters against output recorded from Ansible 2.14's filters.
import { VaultedText } from '../../vault/vaulted-text';
import type { PluginContext } from '../plugin-types';
import { encryptionFilters } from './encryption';

const ctx = {} as PluginContext;
// ansible -m debug -a "msg={{ 'x' | vault('pw', salt='7') }}"
const X_PW_SALT7 =
  '$ANSIBLE_VAULT;1.2;AES256;filter_default\n' +
  '33370a38623737613764383365643166633831353234353066356162343165656436336330376461\n' +
  '3162653664366136383665363431386234666263656664363665300a386336653365626665613634\n' +
  '6330336336663266326235616633636366363966\n';

describe('vault and unvault filters', () => {
  test('a given salt makes the envelope Ansible writes, labelled filter_default', () => {
    expect(encryptionFilters.vault(ctx, 'x', ['pw'], { salt: '7' })).toBe(X_PW_SALT7);
  });
  test('vaultid=default writes a 1.1 header; wrap_object returns the vaulted object', () => {
    expect(String(encryptionFilters.vault(ctx, 'x', ['pw'], { salt: '7', vaultid: 'default' })).split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    expect(encryptionFilters.vault(ctx, 'x', ['pw'], { wrap_object: true })).toBeInstanceOf(VaultedText);
  });
  test('unvault decrypts, passes plain text through, and names a wrong secret', () => {
    expect(encryptionFilters.unvault(ctx, X_PW_SALT7, ['pw'], {})).toBe('x');
    expect(encryptionFilters.unvault(ctx, 'plain', ['pw'], {})).toBe('plain');
    expect(() => encryptionFilters.unvault(ctx, X_PW_SALT7, ['nope'], {})).toThrow('Unable to decrypt: Decryption failed (no vault secrets were found that could decrypt)');
    expect(encryptionFilters.unvault(ctx, new VaultedText(X_PW_SALT7), ['pw'], {})).toBe('x');
  });
  test('only strings are vaulted', () => {
    expect(() => encryptionFilters.vault(ctx, 3, ['pw'], {})).toThrow("Can only vault strings, instead we got: <class 'int'>");
  });
});
