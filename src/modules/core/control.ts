// Controller-only modules: debug, assert, fail, ping, pause, set_fact.
import { UndefinedVariableError } from '../../errors';
import type { ModuleDef, ModuleResult } from '../types';
import { pyDateTime } from './timing';

export const debugModule: ModuleDef = {
  name: 'debug',
  spec: {
    msg: { type: 'raw', default: 'Hello world!' },
    var: { type: 'raw' },
    verbosity: { type: 'int', default: 0 },
  },
  constraints: { mutuallyExclusive: [['msg', 'var']] },
  controllerOnly: true,
  checkMode: true,
  async run(args, ctx): Promise<ModuleResult> {
    if ((args.verbosity as number) > ctx.verbosity) {
      return { changed: false, skipped: true, skipped_reason: 'Verbosity threshold not met.' };
    }
    if (args.var !== null && args.var !== undefined) {
      const name = args.var;
      const key = typeof name === 'string' ? name : String(name);
      let value: unknown;
      try {
        value = typeof name === 'string' ? ctx.controller.template(`{{ ${name} }}`) : name;
      } catch (e) {
        if (e instanceof UndefinedVariableError) value = 'VARIABLE IS NOT DEFINED!';
        else throw e;
      }
      return { changed: false, [key]: value, _ansible_verbose_always: true };
    }
    return { changed: false, msg: args.msg, _ansible_verbose_always: true };
  },
};

export const assertModule: ModuleDef = {
  name: 'assert',
  spec: {
    that: { type: 'raw', required: true },
    fail_msg: { type: 'raw', aliases: ['msg'] },
    success_msg: { type: 'raw' },
    quiet: { type: 'bool', default: false },
  },
  controllerOnly: true,
  checkMode: true,
  async run(args, ctx) {
    // the assert action takes `that` as it is: a single condition (string or bool) is a list of one
    const thats = Array.isArray(args.that) ? args.that : [args.that];
    for (const cond of thats) {
      // an empty condition (a bare `-` in the list) holds, as in Ansible's Conditional
      const ok = cond === null || cond === undefined || cond === '' || ctx.controller.evaluate(String(cond));
      if (!ok) {
        const r: ModuleResult = {
          changed: false, failed: true, assertion: cond, evaluated_to: false,
          msg: args.fail_msg ?? 'Assertion failed',
        };
        return r;
      }
    }
    const r: ModuleResult = { changed: false, msg: args.success_msg ?? 'All assertions passed' };
    if (!args.quiet) r._ansible_verbose_always = true;
    return r;
  },
};

export const failModule: ModuleDef = {
  name: 'fail',
  spec: { msg: { type: 'raw', default: 'Failed as requested from task' } },
  controllerOnly: true,
  checkMode: true,
  async run(args) {
    return { changed: false, failed: true, msg: args.msg as string };
  },
};

export const pingModule: ModuleDef = {
  name: 'ping',
  spec: { data: { type: 'str', default: 'pong' } },
  checkMode: true,
  async run(args, ctx) {
    if (args.data === 'crash') {
      // Ansible's ping raises on purpose: the result of a module that crashed
      const trace = 'Traceback (most recent call last):\n  File "ansible/modules/ping.py", in main\nException: boom\n';
      return { failed: true, changed: false, msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error', module_stdout: '', module_stderr: trace, exception: trace, rc: 1 };
    }
    const r = await ctx.conn.exec('true');
    if (r.rc !== 0) return { failed: true, changed: false, msg: r.stderr };
    return { changed: false, ping: args.data };
  },
};

export const pauseModule: ModuleDef = {
  name: 'pause',
  spec: {
    seconds: { type: 'raw' },
    minutes: { type: 'raw' },
    prompt: { type: 'str' },
    echo: { type: 'bool', default: true },
  },
  controllerOnly: true,
  checkMode: true,
  async run(args) {
    const secs = args.minutes !== null ? Number(args.minutes) * 60 : args.seconds !== null ? Number(args.seconds) : 0;
    if (Number.isNaN(secs)) return { failed: true, changed: false, msg: 'non-integer value given for prompt duration' };
    const start = Date.now();
    if (secs > 0) await new Promise((r) => setTimeout(r, secs * 1000));
    const stop = Date.now();
    return {
      changed: false, rc: 0, stderr: '', stdout: `Paused for ${args.minutes !== null ? `${Number(args.minutes)} minutes` : `${Number(secs.toFixed(2))} seconds`}`,
      start: pyDateTime(start), stop: pyDateTime(stop), delta: Math.round((stop - start) / 1000), echo: args.echo, user_input: '',
    };
  },
};

const BOOL_WORDS = new Set(['true', 'false', 'yes', 'no']);

export const setFactModule: ModuleDef = {
  name: 'set_fact',
  spec: {},
  acceptsAnyArgs: true,
  controllerOnly: true,
  checkMode: true,
  async run(args, ctx) {
    const facts: Record<string, unknown> = {};
    let cacheable = false;
    // without jinja2_native, 'yes'/'no'/'true'/'false' strings become booleans (Ansible's set_fact)
    const native = ctx.controller.setting?.('DEFAULT_JINJA2_NATIVE') === true;
    for (const [written, v] of Object.entries(args)) {
      // as Ansible's set_fact: the names are templated too ("{{ name }}={{ value }}")
      const k = written.includes('{{') ? String(ctx.controller.template(written)) : written;
      if (k === 'cacheable') {
        cacheable = v === true || (typeof v === 'string' && /^(yes|true|on|1)$/i.test(v));
        continue;
      }
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
        return { failed: true, changed: false, msg: `The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.` };
      }
      facts[k] = !native && typeof v === 'string' && BOOL_WORDS.has(v.toLowerCase()) ? /^(true|yes)$/i.test(v) : v;
    }
    if (Object.keys(facts).length === 0) {
      return { failed: true, changed: false, msg: 'No key/value pairs provided, at least one is required for this action to succeed' };
    }
    return { changed: false, ansible_facts: facts, _ansible_facts_cacheable: cacheable };
  },
};
