// Test helper: validate raw args like the engine does, then run the module on the local host.
import { validateArgs } from '../args';
import { makeTestContext, type TestContextOptions } from '../testing';
import type { ModuleDef, ModuleResult } from '../types';

export async function runModule(
  mod: ModuleDef,
  raw: Record<string, unknown>,
  opts: TestContextOptions = {},
): Promise<{ result: ModuleResult; warnings: string[] }> {
  const ctx = makeTestContext(opts);
  const args = validateArgs(mod.name, mod.spec, raw, mod.constraints);
  return { result: await mod.run(args, ctx), warnings: ctx.warnings };
}
