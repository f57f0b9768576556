// A ModuleContext for module tests: the real local connection, controller files
// looked up under a given directory. Used by *.test.ts files only.
import * as fs from 'fs';
import * as path from 'path';
import { LocalConnection } from '../connection/local';
import type { ControllerAccess, ModuleContext } from './types';

export interface TestContextOptions {
  check?: boolean;
  diff?: boolean;
  /** Directory holding files/ and templates/ for findFile. */
  controllerDir?: string;
  facts?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  /** Renders template files; defaults to returning the file unchanged. */
  renderTemplateFile?: ControllerAccess['renderTemplateFile'];
}

export function makeTestContext(opts: TestContextOptions = {}): ModuleContext & { warnings: string[] } {
  const warnings: string[] = [];
  const base = opts.controllerDir ?? process.cwd();
  const controller: ControllerAccess = {
    findFile(kind, rel) {
      if (path.isAbsolute(rel)) return fs.existsSync(rel) ? rel : undefined;
      for (const candidate of [path.join(base, kind, rel), path.join(base, rel)]) {
        if (fs.existsSync(candidate)) return candidate;
      }
      return undefined;
    },
    renderTemplateFile: opts.renderTemplateFile ?? ((p) => fs.readFileSync(p, 'utf8')),
    template: (v) => v,
    evaluate: (e) => e,
  };
  return {
    conn: new LocalConnection({ host: 'localhost' }),
    check: opts.check ?? false,
    diff: opts.diff ?? false,
    verbosity: 0,
    facts: opts.facts ?? {},
    vars: opts.vars ?? {},
    controller,
    inventoryHostname: 'localhost',
    warn: (m) => warnings.push(m),
    taskName: 'test',
    warnings,
  };
}
