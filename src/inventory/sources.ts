// Reading -i sources into the graph: comma host lists, files (YAML then INI, as
// Ansible's plugin chain tries them), directories (recursively, skipping ignored names).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TsibleError } from '../errors';
import { isDirectory, isReadable } from '../util/fs';
import { AddressError, parseAddress } from './address';
import { parseIni } from './ini';
import { isInventoryScript, parseInventoryScript } from './script';
import { InventoryGraph } from './model';
import { parseYamlInventory } from './yaml-source';

export interface SourceOptions {
  /** inventory_ignore_extensions: names in a directory source ending so are skipped. */
  ignoreExtensions?: string[];
  /** inventory_ignore_patterns: regular expressions searched in names of a directory source. */
  ignorePatterns?: string[];
  /** INVENTORY_UNPARSED_IS_FAILED: no parsed source at all is an error, not a warning. */
  unparsedIsFailed?: boolean;
  /** INVENTORY_ANY_UNPARSED_IS_FAILED: any source that fails to parse is an error. */
  anyUnparsedIsFailed?: boolean;
}

export interface SourceContext {
  graph: InventoryGraph;
  loadYaml: (file: string) => unknown;
  warn: (msg: string) => void;
  options: SourceOptions;
}

/** Ansible's INVENTORY_IGNORE_EXTS default (REJECT_EXTS + .orig .ini .cfg .retry). */
export const DEFAULT_IGNORE_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];
/** Ansible's DEFAULT_HOST_LIST, used when no -i is given and ansible.cfg names none. */
export const DEFAULT_SOURCE = '/etc/ansible/hosts';
const IGNORED_ALWAYS = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const YAML_EXTS = ['.yaml', '.yml', '.json'];

/** -i value → what Ansible reads: host lists stay as given, paths become absolute. */
export function normaliseSource(source: string, cwd: string): string {
  if (source.includes(',')) return source;
  let p = source.replace(/^~(?=$|\/)/, os.homedir());
  p = p.replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, a: string | undefined, b: string | undefined) => process.env[a ?? b ?? ''] ?? whole);
  return path.resolve(cwd, p);
}

/** Parses every source; returns true when at least one was parsed. */
export function parseSources(ctx: SourceContext, sources: string[]): boolean {
  let parsed = false;
  for (const source of sources) {
    if (source && parseSource(ctx, source)) parsed = true;
  }
  if (parsed) ctx.graph.reconcile();
  else if (ctx.options.unparsedIsFailed) {
    throw new TsibleError('INVENTORY', 'No inventory was parsed, please check your configuration and options.');
  } else ctx.warn('No inventory was parsed, only implicit localhost is available');
  return parsed;
}

function parseSource(ctx: SourceContext, source: string): boolean {
  let parsed = false;
  const failures: { plugin: string; message: string }[] = [];
  if (isDirectory(source)) {
    const exts = ctx.options.ignoreExtensions ?? DEFAULT_IGNORE_EXTENSIONS;
    const patterns = (ctx.options.ignorePatterns ?? []).map((p) => new RegExp(p));
    for (const entry of fs.readdirSync(source).sort()) {
      if (IGNORED_ALWAYS.test(entry) || exts.some((ext) => entry.endsWith(ext)) || patterns.some((re) => re.test(entry))) {
        continue;
      }
      if (parseSource(ctx, path.join(source, entry))) parsed = true;
    }
  } else {
    ctx.graph.currentSource = source;
    // Ansible's basedir() gives the text 'None' for sources that are not files (host lists)
    ctx.graph.currentSourceDir = fs.existsSync(source) ? path.dirname(source) : 'None';
    for (const plugin of PLUGINS) {
      if (!plugin.wants(source)) continue;
      try {
        plugin.parse(ctx, source);
        parsed = true;
        break;
      } catch (e) {
        failures.push({ plugin: plugin.name, message: (e as Error).message });
      }
    }
    ctx.graph.currentSource = undefined;
    ctx.graph.currentSourceDir = undefined;
  }
  // the default source may be absent without a word (Ansible special-cases it)
  if (!parsed && (source !== DEFAULT_SOURCE || fs.existsSync(source))) {
    for (const f of failures) ctx.warn(` * Failed to parse ${source} with ${f.plugin} plugin: ${f.message}`);
    if (ctx.options.anyUnparsedIsFailed) {
      throw new TsibleError('INVENTORY', `Completely failed to parse inventory source ${source}`);
    }
    ctx.warn(`Unable to parse ${source} as an inventory source`);
  }
  return parsed;
}

interface SourcePlugin {
  name: string;
  wants(source: string): boolean;
  parse(ctx: SourceContext, source: string): void;
}

// Plugins in Ansible's default INVENTORY_ENABLED order (toml is not supported).
// Like Ansible, a plugin that fails half way leaves what it added in the graph.
const PLUGINS: SourcePlugin[] = [
  {
    name: 'host_list',
    wants: (source) => source.includes(',') && !fs.existsSync(source),
    parse: (ctx, source) => parseHostList(ctx.graph, source),
  },
  {
    name: 'script',
    wants: (source) => isReadable(source) && isInventoryScript(source),
    parse: (ctx, source) => parseInventoryScript(ctx.graph, source),
  },
  {
    name: 'auto',
    wants: (source) => (source.endsWith('.yml') || source.endsWith('.yaml')) && isReadable(source),
    parse: (ctx, source) => {
      const data = ctx.loadYaml(source) as Record<string, unknown> | null;
      const plugin = data && typeof data === 'object' ? data.plugin : undefined;
      if (!plugin) throw new Error(`no root 'plugin' key found, '${source}' is not a valid YAML inventory plugin config file`);
      throw new Error(`inventory config '${source}' specifies unknown plugin '${String(plugin)}'`);
    },
  },
  {
    name: 'yaml',
    wants: (source) => isReadable(source) && (path.extname(source) === '' || YAML_EXTS.includes(path.extname(source))),
    parse: (ctx, source) => parseYamlInventory(ctx.graph, ctx.loadYaml(source), ctx.warn),
  },
  {
    name: 'ini',
    wants: (source) => isReadable(source),
    parse: (ctx, source) => parseIni(ctx.graph, source, readText(source)),
  },
];

function parseHostList(graph: InventoryGraph, source: string): void {
  for (const part of source.split(',')) {
    const h = part.trim();
    if (!h) continue;
    let host = h;
    let port: number | undefined;
    try {
      ({ host, port } = parseAddress(h, false));
    } catch (e) {
      if (!(e instanceof AddressError)) throw e;
    }
    if (!graph.hosts.has(host)) graph.addHost(host, 'ungrouped', port);
  }
}

function readText(file: string): string {
  return fs.readFileSync(file, 'utf8');
}
