// -e/--extra-vars values as Ansible's load_extra_vars reads them: "@file" (YAML/JSON),
// inline YAML/JSON when it starts with "{" or "[", otherwise key=value pairs (parse_kv).
import * as fs from 'fs';
import * as path from 'path';
import { TsibleError } from '../errors';
import { loadYamlText } from '../parsing/yaml';
import { parseKv } from '../playbook/kv';
import { isVaultText } from '../vault/envelope';
import type { Vault } from '../vault/secrets';

export { parseKv };

function asDict(data: unknown, source: string): Record<string, unknown> {
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new TsibleError('BAD_OPTION', `Invalid extra vars data supplied. '${source}' could not be made into a dictionary`, undefined, 1);
  }
  return data as Record<string, unknown>;
}

/** True for `@file` naming a vault-encrypted file (loaded once the vault secrets are read). */
export function isVaultedExtraVars(value: string, cwd: string): boolean {
  if (!value.startsWith('@')) return false;
  try {
    return isVaultText(fs.readFileSync(path.resolve(cwd, value.slice(1))).subarray(0, 32));
  } catch {
    return false;
  }
}

/** One -e value → a dict of variables (relative @files from cwd; vault-encrypted ones need `vault`). */
export function loadExtraVars(value: string, cwd: string, vault?: Vault): Record<string, unknown> {
  if (value.startsWith('@')) {
    const file = path.resolve(cwd, value.slice(1));
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new TsibleError(
        'MISSING_FILE',
        `Unable to retrieve file contents\nCould not find or access '${file}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`,
      );
    }
    if (isVaultText(text)) {
      if (!vault) throw new TsibleError('VAULT', 'Attempting to decrypt but no vault secrets found', undefined, 1);
      text = vault.decrypt(text, file).toString('utf8');
    }
    return asDict(loadYamlText(text, file), value);
  }
  if (value.startsWith('{') || value.startsWith('[')) return asDict(loadYamlText(value, '<extra vars>'), value);
  if (value.trim() === '') return {};
  return parseKv(value);
}
