// Test-only YAML loading (the engine injects its own YAML 1.1 loader from src/parsing).
import * as fs from 'fs';
import * as YAML from 'yaml';

export function loadYamlForTests(file: string): unknown {
  return YAML.parse(fs.readFileSync(file, 'utf8'), { version: '1.1' }) as unknown;
}
