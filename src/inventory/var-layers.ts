// A host's inventory variables as ordered layers, lowest precedence first, following
// Ansible 2.14's VARIABLE_PRECEDENCE default and the host vars that come after it.
import * as fs from 'fs';
import * as path from 'path';
import { isDirectory } from '../util/fs';
import { Group, Host } from './model';
import { VarsFileCache } from './vars-files';

export type VarLayerKind =
  | 'inventory_file_group_vars' // vars in the inventory source itself, 'all' first
  | 'inventory_group_vars_all' // group_vars/all beside the inventory
  | 'playbook_group_vars_all' // group_vars/all beside the playbook
  | 'inventory_group_vars' // group_vars/<group> beside the inventory
  | 'playbook_group_vars' // group_vars/<group> beside the playbook
  | 'inventory_file_host_vars' // host line / hosts: entry vars in the inventory source
  | 'inventory_host_vars' // host_vars/<host> beside the inventory
  | 'playbook_host_vars'; // host_vars/<host> beside the playbook

export interface VarLayer {
  name: string;
  kind: VarLayerKind;
  vars: Record<string, unknown>;
  /** The vars file the layer came from, when it came from one. */
  file?: string;
}

export interface LayerContext {
  /** From inventoryBasedirs(sources): computed once per inventory. */
  inventoryDirs: string[];
  playbookDir?: string;
  files: VarsFileCache;
}

/** Groups in Ansible's merge order: depth, then ansible_group_priority, then name. */
export function sortGroups(groups: Group[]): Group[] {
  return [...groups].sort(
    (a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/** Directories whose group_vars/host_vars apply to inventory entities: host lists have none. */
export function inventoryBasedirs(sources: string[]): string[] {
  const dirs: string[] = [];
  for (const source of sources) {
    if (!source) continue;
    if (source.includes(',') && !fs.existsSync(source)) continue;
    dirs.push(isDirectory(source) ? source : path.dirname(source));
  }
  return dirs;
}

export function varLayersFor(host: Host, all: Group, ctx: LayerContext): VarLayer[] {
  const layers: VarLayer[] = [];
  const groups = sortGroups(host.groups.filter((g) => g.name !== 'all'));
  const invDirs = ctx.inventoryDirs;
  const playDirs = ctx.playbookDir ? [ctx.playbookDir] : [];

  const fileLayers = (dirs: string[], subdir: 'group_vars' | 'host_vars', names: string[], kind: VarLayerKind): void => {
    for (const dir of dirs) {
      for (const name of names) {
        for (const { file, vars } of ctx.files.varsFor(dir, subdir, name)) {
          layers.push({ name: `${subdir}/${name} (${file})`, kind, vars, file });
        }
      }
    }
  };

  layers.push({ name: "inventory vars of group 'all'", kind: 'inventory_file_group_vars', vars: { ...all.vars } });
  for (const g of groups) {
    layers.push({ name: `inventory vars of group '${g.name}'`, kind: 'inventory_file_group_vars', vars: { ...g.vars } });
  }
  fileLayers(invDirs, 'group_vars', ['all'], 'inventory_group_vars_all');
  fileLayers(playDirs, 'group_vars', ['all'], 'playbook_group_vars_all');
  const groupNames = groups.map((g) => g.name);
  fileLayers(invDirs, 'group_vars', groupNames, 'inventory_group_vars');
  fileLayers(playDirs, 'group_vars', groupNames, 'playbook_group_vars');
  layers.push({ name: `inventory vars of host '${host.name}'`, kind: 'inventory_file_host_vars', vars: { ...host.vars } });
  fileLayers(invDirs, 'host_vars', [host.name], 'inventory_host_vars');
  fileLayers(playDirs, 'host_vars', [host.name], 'playbook_host_vars');
  return layers;
}
