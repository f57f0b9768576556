// Vault secrets as ansible-playbook gathers them (--vault-id label@source, --vault-password-file,
// --ask-vault-pass, the vault_identity_list / vault_password_file settings) and decryption with them.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TsibleError } from '../errors';
import { decryptPayload, isVaultText, parseEnvelope, VaultFormatError } from './envelope';

export interface VaultSecret {
  id: string;
  password: Buffer;
}

/** One --vault-id slug split: `label@source` (label 'default' when absent). */
export interface VaultSource {
  id: string;
  /** A password file or script, `prompt`, or `prompt_ask_vault_pass`. */
  source: string;
}

export interface VaultSourceOptions {
  vaultIds: string[];
  passwordFiles: string[];
  askVaultPass: boolean;
  /** DEFAULT_VAULT_IDENTITY_LIST and DEFAULT_VAULT_PASSWORD_FILE. */
  identityList: string[];
  defaultPasswordFile?: string;
  /** DEFAULT_VAULT_IDENTITY (the label of unlabelled sources). */
  defaultIdentity: string;
}

/** CLI.build_vault_ids as ansible-playbook calls it (no automatic prompt). */
export function vaultSources(o: VaultSourceOptions): VaultSource[] {
  const files = [...o.passwordFiles, ...(o.defaultPasswordFile ? [o.defaultPasswordFile] : [])];
  const slugs = [...o.identityList, ...o.vaultIds, ...files.map((f) => `${o.defaultIdentity}@${f}`)];
  if (o.askVaultPass) slugs.push(`${o.defaultIdentity}@prompt_ask_vault_pass`);
  return slugs.map((slug) => {
    const at = slug.indexOf('@');
    return at < 0 ? { id: o.defaultIdentity, source: slug } : { id: slug.slice(0, at), source: slug.slice(at + 1) };
  });
}

function vaultError(msg: string): TsibleError {
  return new TsibleError('VAULT', msg, undefined, 1);
}

/** A password file's secret: its text without surrounding line breaks, or an executable's stdout. */
function readPasswordFile(file: string, cwd: string): Buffer {
  const full = path.resolve(cwd, file);
  let st: fs.Stats;
  try {
    st = fs.statSync(full);
  } catch {
    throw vaultError(`The vault password file ${full} was not found`);
  }
  let data: Buffer;
  if (st.mode & 0o111) {
    try {
      data = execFileSync(full, [], { stdio: ['inherit', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { status?: number; stderr?: Buffer };
      throw vaultError(`Vault password script ${full} returned non-zero (${err.status ?? 1}): ${String(err.stderr ?? '')}`);
    }
  } else {
    try {
      data = fs.readFileSync(full);
    } catch (e) {
      throw vaultError(`Could not read vault password file ${full}: ${(e as Error).message}`);
    }
  }
  const text = data.toString('latin1').replace(/^[\r\n]+|[\r\n]+$/g, '');
  if (!text) throw vaultError(`Invalid vault password was provided from ${st.mode & 0o111 ? 'script' : 'file'} (${full})`);
  return Buffer.from(text, 'latin1');
}

/** Reads every source: files and scripts now, prompts through `prompt` (no echo). */
export async function loadVaultSecrets(
  sources: VaultSource[],
  cwd: string,
  prompt?: (question: string) => Promise<string>,
): Promise<VaultSecret[]> {
  const secrets: VaultSecret[] = [];
  for (const s of sources) {
    if (s.source === 'prompt' || s.source === 'prompt_ask_vault_pass') {
      if (!prompt) throw vaultError('a vault password prompt needs a terminal on stdin');
      const question = s.source === 'prompt_ask_vault_pass' ? 'Vault password: ' : `Vault password (${s.id}): `;
      const answer = await prompt(question);
      if (!answer) throw vaultError('Invalid vault password was provided');
      secrets.push({ id: s.id, password: Buffer.from(answer, 'utf8') });
    } else secrets.push({ id: s.id, password: readPasswordFile(s.source, cwd) });
  }
  return secrets;
}

/** The run's vault: decrypts vault text with the secrets given (Ansible's VaultLib.decrypt). */
export class Vault {
  constructor(
    readonly secrets: VaultSecret[],
    /** DEFAULT_VAULT_ID_MATCH: only a secret whose label matches the envelope's is tried. */
    private readonly idMatch = false,
  ) {}

  /** Decrypts vault text; errors name the file, never the secret or the plaintext. */
  decrypt(text: string, filename?: string): Buffer {
    if (!isVaultText(text)) throw vaultError(`input is not vault encrypted data. ${filename ? `${filename} is not a vault encrypted file` : ''}`);
    const on = filename ? ` on ${filename}` : '';
    let env;
    try {
      env = parseEnvelope(text);
    } catch (e) {
      throw vaultError(`Vault envelope format error${filename ? ` in ${filename}` : ''}: ${(e as Error).message}`);
    }
    if (!this.secrets.length) throw vaultError('Attempting to decrypt but no vault secrets found');
    // the secret labelled as the envelope first, then (unless ids must match) the others
    const candidates = [
      ...this.secrets.filter((s) => s.id === env.label),
      ...(this.idMatch ? [] : this.secrets.filter((s) => s.id !== env.label)),
    ];
    for (const s of candidates) {
      try {
        const plain = decryptPayload(env, s.password);
        if (plain) return plain;
      } catch (e) {
        if (e instanceof VaultFormatError) throw vaultError(`There was a vault format error${filename ? ` in ${filename}` : ''}: ${e.message}`);
        throw e;
      }
    }
    throw vaultError(`Decryption failed (no vault secrets were found that could decrypt)${on}`);
  }

  /** Text that may be vault-encrypted, decrypted when it is. */
  decryptIfVault(data: Buffer, filename?: string): Buffer {
    return isVaultText(data) ? this.decrypt(data.toString('latin1'), filename) : data;
  }
}
