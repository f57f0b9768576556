#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and everything it requires from dist/, plus the yaml
// package) into that one file: Node then resolves and reads one file instead of ~300 at every start.
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'cli', 'main.js');
const pkg = require(path.join(root, 'package.json'));
// npm packages stay where npm put them (native bindings, lazily loaded clients); yaml is pure JS and always loaded
const external = Object.keys(pkg.dependencies).filter((d) => d !== 'yaml');
const result = esbuild.buildSync({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external,
  logLevel: 'warning',
});
// a require of a computed path cannot be bundled and would fail at run time (esbuild says nothing)
const computed = fs.readFileSync(entry, 'utf8').match(/(?<![\w.$])require\((?!["'])[^)]*\)/g);
if (result.errors.length || computed) {
  console.error(`bundle-cli: a require must name its file literally: ${(computed ?? []).join(', ')}`);
  process.exit(1);
}
// the map tsc wrote describes the file this replaced
fs.rmSync(`${entry}.map`, { force: true });
fs.chmodSync(entry, 0o755);
