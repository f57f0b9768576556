// The default (delegated) driver: the scenario's own create.yml and destroy.yml make and remove
// the instances, and create.yml says how to reach them in MOLECULE_INSTANCE_CONFIG (Molecule's
// instance_config.yml). With `driver.options.managed: false` the instances exist already and
// `driver.options.ansible_connection_options` says how to reach them.
import * as fs from 'fs';
import { loadYamlFile } from '../../parsing/yaml';
import type { Driver, DriverRun, Instance, Platform } from './types';

export interface DelegatedOptions {
  managed: boolean;
  /** driver.options.ansible_connection_options */
  connectionOptions: Record<string, unknown>;
  loginCmdTemplate?: string;
  /** Runs the scenario's create.yml or destroy.yml; false when that playbook does not exist. */
  runLifecyclePlaybook(step: 'create' | 'destroy'): Promise<boolean>;
  /** Path of instance_config.yml (MOLECULE_INSTANCE_CONFIG). */
  instanceConfigFile: string;
}

type Dict = Record<string, unknown>;

/** instance_config.yml entry keys → inventory variables, as Molecule maps them. */
const PASSED_THROUGH = ['become_pass', 'become_method', 'winrm_transport', 'winrm_cert_pem', 'winrm_cert_key_pem', 'winrm_server_cert_validation', 'shell_type'];

export function hostVarsOf(entry: Dict): Dict {
  const out: Dict = {};
  for (const k of PASSED_THROUGH) if (entry[k]) out[`ansible_${k}`] = entry[k];
  out.ansible_connection = entry.connection || 'smart';
  const set = (k: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') out[k] = v;
  };
  set('ansible_user', entry.user);
  set('ansible_host', entry.address);
  set('ansible_port', entry.port);
  set('ansible_private_key_file', entry.identity_file);
  set('ansible_password', entry.password);
  return out;
}

export class DelegatedDriver implements Driver {
  readonly name = 'default';

  constructor(private readonly options: DelegatedOptions) {}

  private readInstanceConfig(): Dict[] {
    if (!fs.existsSync(this.options.instanceConfigFile)) return [];
    const data = loadYamlFile(this.options.instanceConfigFile);
    return Array.isArray(data) ? data.filter((e): e is Dict => typeof e === 'object' && e !== null) : [];
  }

  async create(platforms: readonly Platform[], run: DriverRun): Promise<Instance[]> {
    if (this.options.managed) {
      const ran = await this.options.runLifecyclePlaybook('create');
      if (!ran) run.log('default driver: no create.yml in the scenario; the instances are expected to exist (driver.options.ansible_connection_options)');
    } else {
      run.log('Skipping, instances are delegated (driver.options.managed: false).');
    }
    const entries = this.readInstanceConfig();
    return platforms.map((p) => {
      const entry = entries.find((e) => e.instance === p.name);
      const hostVars = this.options.managed && entry ? hostVarsOf(entry) : { ...this.options.connectionOptions };
      const address = entry && typeof entry.address === 'string' ? entry.address : undefined;
      return { name: p.name, hostVars, address };
    });
  }

  async destroy(_platforms: readonly Platform[], run: DriverRun): Promise<void> {
    if (!this.options.managed) {
      run.log('Skipping, instances are delegated (driver.options.managed: false).');
      return;
    }
    const ran = await this.options.runLifecyclePlaybook('destroy');
    if (!ran) run.log('default driver: no destroy.yml in the scenario; nothing to remove');
    fs.rmSync(this.options.instanceConfigFile, { force: true });
  }

  loginCommand(instance: Instance): string[] {
    const v = instance.hostVars;
    const address = String(v.ansible_host ?? instance.address ?? instance.name);
    if (this.options.loginCmdTemplate) {
      const filled = this.options.loginCmdTemplate
        .replace(/\{instance\}/g, instance.name)
        .replace(/\{address\}/g, address)
        .replace(/\{user\}/g, String(v.ansible_user ?? ''))
        .replace(/\{port\}/g, String(v.ansible_port ?? 22))
        .replace(/\{identity_file\}/g, String(v.ansible_private_key_file ?? ''));
      return ['/bin/sh', '-c', filled];
    }
    if (v.ansible_connection === 'local') return [process.env.SHELL || '/bin/sh'];
    const argv = ['ssh', address];
    if (v.ansible_user) argv.push('-l', String(v.ansible_user));
    if (v.ansible_port) argv.push('-p', String(v.ansible_port));
    if (v.ansible_private_key_file) argv.push('-i', String(v.ansible_private_key_file));
    return argv;
  }
}
