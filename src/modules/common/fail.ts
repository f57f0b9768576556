// ModuleFail: thrown inside a module's helpers to stop with Ansible's failure result;
// modules turn it into `{failed: true, msg, ...}` with failureResult().
import type { ModuleResult } from '../types';

export class ModuleFail extends Error {
  constructor(
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ModuleFail';
  }
}

/** Runs a module body, converting ModuleFail into Ansible's failed result. */
export async function catchFail(
  body: () => Promise<ModuleResult>,
  /** Adds to a failure result (the file modules add the path's stat info, as Ansible's fail_json does). */
  decorate?: (result: ModuleResult) => Promise<ModuleResult>,
): Promise<ModuleResult> {
  try {
    const result = await body();
    // Ansible's fail_json always reports changed: false
    if (result.failed && result.changed === undefined) result.changed = false;
    return result;
  } catch (e) {
    if (!(e instanceof ModuleFail)) throw e;
    const result: ModuleResult = { changed: false, failed: true, msg: e.message, ...e.extra };
    return decorate ? decorate(result) : result;
  }
}
