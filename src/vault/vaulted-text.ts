// A vault-encrypted value kept encrypted (Ansible's AnsibleVaultEncryptedUnicode): a `!vault`
// value loaded without vault secrets, or the vault filter's wrap_object=True result.
import { TemplateError } from '../errors';
import type { Vault } from './secrets';

export class VaultedText {
  constructor(
    /** The vault envelope ($ANSIBLE_VAULT;...). */
    readonly ciphertext: string,
    private readonly vault?: Vault,
  ) {}

  /** True when it holds secrets to try (a wrong one still fails on use, as in Ansible). */
  get hasSecrets(): boolean {
    return !!this.vault?.secrets.length;
  }

  /** The plaintext with the given secrets (else its own); without any, Ansible's error. */
  decrypt(vault: Vault | undefined = this.vault): string {
    if (!vault?.secrets.length) throw new TemplateError('Attempting to decrypt but no vault secrets found');
    return vault.decrypt(this.ciphertext).toString('utf8');
  }

  /** str() of it decrypts, as Python's str() of AnsibleVaultEncryptedUnicode does. */
  toString(): string {
    return this.decrypt();
  }
}

/** A vaulted value as its plaintext when it has secrets (it acts as a str, as in Ansible);
 *  anything else, or one without secrets (unvault can still take it), as it is. */
export function opened(v: unknown): unknown {
  return v instanceof VaultedText && v.hasSecrets ? v.decrypt() : v;
}

/** Module arguments as a module receives them: vaulted values replaced by their plaintext. */
export function revealVaulted(value: unknown): unknown {
  if (value instanceof VaultedText) return value.decrypt();
  if (Array.isArray(value)) return value.some(holdsVaulted) ? value.map(revealVaulted) : value;
  if (isPlainObject(value) && holdsVaulted(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = revealVaulted(v);
    return out;
  }
  return value;
}

function holdsVaulted(value: unknown): boolean {
  if (value instanceof VaultedText) return true;
  if (Array.isArray(value)) return value.some(holdsVaulted);
  return isPlainObject(value) && Object.values(value).some(holdsVaulted);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
