// Public surface of the inventory: loading -i sources, hosts, groups, patterns, var layers.
export { loadInventory, Inventory } from './inventory';
export type { LoadInventoryOptions, MagicInventoryVars } from './inventory';
export { Host, Group, LOCALHOST_NAMES } from './model';
export type { VarLayer, VarLayerKind } from './var-layers';
export { splitHostPattern } from './patterns';
export { parseIniValue } from './ini';
