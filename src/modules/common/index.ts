// Shared helpers for modules that manage files on the target: probes, attributes, writes, diffs.
export * from './fail';
export * from './mode';
export * from './probe';
export * from './attrs';
export * from './write';
export * from './diff';
export * from './apply';
export * from './pyregex';
export * from './content';
export * from './realpath';
export * from './c-quoted';
export * from './steps';
