// -e/--extra-vars values as Ansible's load_extra_vars reads them: "@file" (YAML/JSON),
// inline YAML/JSON when it starts with "{" or "[", otherwise key=value pairs (parse_kv).
import * as fs from 'fs';
import * as path from 'path';
import { TsibleError } from '../errors';
import { loadYamlText } from '../parsing/yaml';
import { parseKv } from '../playbook/kv';

export { parseKv };

function asDict(data: unknown, source: string): Record<string, unknown> {
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new TsibleError('BAD_OPTION', `Invalid extra vars data supplied. '${source}' could not be made into a dictionary`, undefined, 1);
  }
  return data as Record<string, unknown>;
}

/** One -e value → a dict of variables (relative @files from cwd). */
export function loadExtraVars(value: string, cwd: string): Record<string, unknown> {
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
    if (text.startsWith('$ANSIBLE_VAULT')) throw new TsibleError('BAD_OPTION', `vault not supported: ${file} is vault-encrypted`, undefined, 1);
    return asDict(loadYamlText(text, file), value);
  }
  if (value.startsWith('{') || value.startsWith('[')) return asDict(loadYamlText(value, '<extra vars>'), value);
  if (value.trim() === '') return {};
  return parseKv(value);
}
