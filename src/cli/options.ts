// Turns parsed arguments plus ansible.cfg settings into the RunOptions given to runPlaybook
// (Ansible's post_process_args: tag splitting, inventory paths, config defaults).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AnsibleConfig, RunOptions } from '../api/types';
import { TsibleError } from '../errors';
import type { ArgValue, RawArgs } from './args';
import { isVaultedExtraVars, loadExtraVars } from './extravars';
import { SettingsReader } from '../config/settings';
import { vaultSources, type VaultSource } from '../vault/secrets';

export interface CliRun {
  options: RunOptions;
  /** --json, or stdout_callback=json in ansible.cfg. */
  callback: string;
  askBecomePass: boolean;
  askPass: boolean;
  /** Where the vault secrets come from, in Ansible's order (read by the CLI, prompts included). */
  vaultSources: VaultSource[];
  /** DEFAULT_VAULT_ID_MATCH. */
  vaultIdMatch: boolean;
  /** -e @file values naming vault-encrypted files: their place in extraVars, filled by the CLI. */
  vaultedExtraVars: { index: number; value: string }[];
}

const str = (v: ArgValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: ArgValue | undefined): string[] => (Array.isArray(v) ? v : []);
const num = (v: ArgValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const flag = (v: ArgValue | undefined): boolean => v === true;

/** -t a,b -t c → [a, b, c] (Ansible strips each and drops empties). */
function splitTags(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== '');
}

function expandUser(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? home + p.slice(1) : p;
}

/** A comma list is a literal host list; anything else is a path made absolute (unfrackpath). */
function inventorySource(value: string, cwd: string, home: string): string {
  return value.includes(',') ? value : path.resolve(cwd, expandUser(value, home));
}

/** Post-parse validation error shown with the usage only (argparse's parser.error after parsing). */
export class UsageError extends Error {}

function readSecretFile(file: string, cwd: string): string {
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8').replace(/\r?\n$/, '');
  } catch {
    throw new TsibleError('MISSING_FILE', `The password file ${path.resolve(cwd, file)} was not found`);
  }
}

export function buildRunOptions(raw: RawArgs, config: AnsibleConfig, env: Record<string, string | undefined>, cwd: string): CliRun {
  const v = raw.values;
  const home = env.HOME ?? os.homedir();
  const forks = num(v.forks) ?? config.forks;
  if (forks < 1) throw new UsageError('The number of processes (--forks) must be >= 1');
  // vault-encrypted @files are read once the CLI has the vault secrets (a placeholder until then)
  const vaultedExtraVars: { index: number; value: string }[] = [];
  const extraVars = list(v.extra_vars).map((e, index) => {
    if (!isVaultedExtraVars(e, cwd)) return loadExtraVars(e, cwd);
    vaultedExtraVars.push({ index, value: e });
    return {};
  });
  const becomePassFile = str(v.become_password_file);
  if (becomePassFile !== undefined) extraVars.push({ ansible_become_password: readSecretFile(becomePassFile, cwd) });
  const connPassFile = str(v.connection_password_file);
  if (connPassFile !== undefined) extraVars.push({ ansible_password: readSecretFile(connPassFile, cwd) });
  const subset = str(v.subset);
  const keyFile = str(v.private_key_file);
  const options: RunOptions = {
    playbooks: raw.playbooks,
    inventories: list(v.inventory).map((i) => inventorySource(i, cwd, home)),
    limit: subset === undefined ? undefined : [subset],
    tags: splitTags(list(v.tags)),
    skipTags: splitTags(list(v.skip_tags)),
    extraVars,
    check: flag(v.check),
    diff: flag(v.diff),
    forks,
    verbosity: num(v.verbosity) ?? 0,
    listHosts: flag(v.listhosts),
    listTasks: flag(v.listtasks),
    listTags: flag(v.listtags),
    syntaxCheck: flag(v.syntax),
    startAtTask: str(v.start_at_task),
    step: flag(v.step),
    become: flag(v.become) || config.become,
    becomeUser: str(v.become_user) ?? config.becomeUser,
    becomeMethod: str(v.become_method) ?? config.becomeMethod,
    remoteUser: str(v.remote_user) ?? config.remoteUser,
    connection: str(v.connection),
    privateKeyFile: keyFile === undefined ? config.privateKeyFile : path.resolve(cwd, expandUser(keyFile, home)),
    timeout: num(v.timeout) ?? config.timeout,
    sshCommonArgs: str(v.ssh_common_args),
    sshExtraArgs: str(v.ssh_extra_args),
    flushCache: flag(v.flush_cache),
    forceHandlers: flag(v.force_handlers) || config.forceHandlers,
    config,
  };
  return {
    options,
    callback: flag(v.json) ? 'json' : config.stdoutCallback,
    askBecomePass: flag(v.become_ask_pass) || (config.becomeAsk && becomePassFile === undefined),
    askPass: flag(v.ask_pass),
    ...vaultSettings(v, config, env, cwd),
    vaultedExtraVars,
  };
}

/** The vault options and settings (vault_identity_list, vault_password_file, ask_vault_pass...). */
function vaultSettings(v: RawArgs['values'], config: AnsibleConfig, env: Record<string, string | undefined>, cwd: string) {
  const settings = new SettingsReader(config, env, cwd);
  const setting = (name: string): unknown => {
    const r = settings.get(name);
    return r.found ? r.value : undefined;
  };
  const identityList = setting('DEFAULT_VAULT_IDENTITY_LIST');
  const passwordFile = setting('DEFAULT_VAULT_PASSWORD_FILE');
  return {
    vaultSources: vaultSources({
      vaultIds: list(v.vault_ids),
      passwordFiles: list(v.vault_password_files),
      askVaultPass: flag(v.ask_vault_pass) || setting('DEFAULT_ASK_VAULT_PASS') === true,
      identityList: Array.isArray(identityList) ? identityList.map(String) : [],
      defaultPasswordFile: typeof passwordFile === 'string' && passwordFile ? passwordFile : undefined,
      defaultIdentity: String(setting('DEFAULT_VAULT_IDENTITY') ?? 'default'),
    }),
    vaultIdMatch: /^(1|true|yes|on)$/i.test(String(setting('DEFAULT_VAULT_ID_MATCH') ?? '')),
  };
}

/** ERROR! the playbook: x could not be found / does not appear to be a file. */
export function checkPlaybooks(playbooks: string[], cwd: string): void {
  for (const pb of playbooks) {
    const full = path.resolve(cwd, pb);
    if (!fs.existsSync(full)) throw new TsibleError('MISSING_FILE', `the playbook: ${pb} could not be found`);
    if (!fs.statSync(full).isFile()) throw new TsibleError('MISSING_FILE', `the playbook: ${pb} does not appear to be a file`);
  }
}
