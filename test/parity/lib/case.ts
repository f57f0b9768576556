// Parity cases: directories under test/parity/cases/<group>/<name>/ holding a playbook,
// optional inventory, roles, files and a case.yml describing the runs to compare.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'yaml';
import type { CryptoOptions } from './crypto';
import type { SandboxSpec } from './sandbox';

export const CASES_DIR = path.resolve(__dirname, '..', 'cases');
export const REFERENCE_DIR = path.resolve(__dirname, '..', 'reference');

export interface ParityCase {
  id: string; // group/name
  dir: string;
  group: string;
  /** Argument lists, one per run, run in sequence in the same scratch copy. */
  runs: string[][];
  /** Run the real ansible-playbook during `npm test` too (when it is installed). */
  live: boolean;
  httpServer: boolean;
  /** The last run must report changed=0 for every host (idempotence). */
  expectLastRunUnchanged: boolean;
  description?: string;
  /** Extra environment for both tools. */
  env: Record<string, string>;
  /** Why this case cannot pass yet (it is listed, not run). */
  pending?: string;
  /** Keys, CSRs and certificates under out/, compared by what they hold (lib/crypto.ts). */
  crypto?: CryptoOptions;
  /** Run both tools in a private namespace with these directories overlaid (lib/sandbox.ts). */
  sandbox?: SandboxSpec;
}

interface CaseFile {
  runs?: string[][];
  live?: boolean;
  http_server?: boolean;
  expect_second_run_unchanged?: boolean;
  description?: string;
  env?: Record<string, string>;
  pending?: string;
  crypto_files?: string[];
  crypto_passphrase?: string;
  sandbox?: string[];
  netns?: boolean;
}

export function loadCases(): ParityCase[] {
  const out: ParityCase[] = [];
  if (!fs.existsSync(CASES_DIR)) return out;
  for (const group of fs.readdirSync(CASES_DIR).sort()) {
    const gdir = path.join(CASES_DIR, group);
    if (!fs.statSync(gdir).isDirectory()) continue;
    for (const name of fs.readdirSync(gdir).sort()) {
      const dir = path.join(gdir, name);
      if (!fs.existsSync(path.join(dir, 'playbook.yml'))) continue;
      const cfgPath = path.join(dir, 'case.yml');
      const cfg: CaseFile = fs.existsSync(cfgPath) ? (yaml.parse(fs.readFileSync(cfgPath, 'utf8')) ?? {}) : {};
      const isModule = group === 'modules';
      const runs = cfg.runs ?? (isModule ? [['--check'], [], []] : [[]]);
      out.push({
        id: `${group}/${name}`,
        dir,
        group,
        runs,
        live: cfg.live ?? false,
        httpServer: cfg.http_server ?? false,
        expectLastRunUnchanged: cfg.expect_second_run_unchanged ?? (isModule && runs.length > 1),
        description: cfg.description,
        env: cfg.env ?? {},
        pending: cfg.pending,
        crypto: cfg.crypto_files ? { patterns: cfg.crypto_files, passphrase: cfg.crypto_passphrase } : undefined,
        ...(cfg.sandbox || cfg.netns ? { sandbox: { overlays: cfg.sandbox ?? [], netns: cfg.netns ?? false } } : {}),
      });
    }
  }
  return out;
}

export function referencePath(c: ParityCase): string {
  return path.join(REFERENCE_DIR, c.id.replace('/', '__') + '.json');
}
