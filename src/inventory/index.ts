// Public surface of the inventory: loading -i sources, hosts, groups, patterns, var layers.
export { loadInventory, Inventory } from './inventory';
export type { LoadInventoryOptions, MagicInventoryVars } from './inventory';
export { Host, Group, LOCALHOST_NAMES } from './model';
export type { VarLayer, VarLayerKind } from './var-layers';
export { splitHostPattern } from './patterns';
export type { PatternMismatch } from './patterns';
export type { SourceOptions } from './sources';
export { DEFAULT_IGNORE_EXTENSIONS, DEFAULT_SOURCE } from './sources';
export { parseIniValue } from './ini';
