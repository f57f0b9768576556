// A minimal PluginContext for plugin unit tests: variables from a plain object,
// a templar that only substitutes {{ name }}, lookups rooted in a directory.
import * as fs from 'fs';
import * as path from 'path';
import type { PluginContext } from '../../plugin-types';
import type { TemplarApi } from '../../types';
import { pyStr, Undefined } from '../../pyvalues';

export function fakeContext(vars: Record<string, unknown> = {}, baseDir = process.cwd()): PluginContext {
  const makeTemplar = (scope: Record<string, unknown>): TemplarApi => {
    const render = (s: string) => s.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, name: string) => pyStr(scope[name] ?? ''));
    return {
      template: (v) => (typeof v === 'string' ? render(v) : v),
      isTemplate: (v) => typeof v === 'string' && /\{\{|\{%|\{#/.test(v),
      evaluateConditional: () => true,
      evaluate: (expr) => scope[expr.trim()] ?? new Undefined(expr.trim()),
      renderFile: (p) => render(fs.readFileSync(p, 'utf8')),
      withVars: (extra) => makeTemplar({ ...scope, ...extra }),
    };
  };
  return {
    templar: makeTemplar(vars),
    resolveVariable: (name) => (name in vars ? vars[name] : new Undefined(name)),
    lookups: {
      baseDir,
      findFile: (kind, rel) => {
        const candidates = [path.resolve(baseDir, kind, rel), path.resolve(baseDir, rel)];
        return candidates.find((c) => fs.existsSync(c));
      },
      inventoryHostnames: (pattern) => (pattern === 'all' ? ['web1', 'web2', 'db1'] : ['web1', 'web2', 'db1'].filter((h) => h.startsWith(pattern))),
    },
  };
}
