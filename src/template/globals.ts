// Jinja2's global functions as Ansible exposes them: range, dict, namespace, cycler, joiner,
// lipsum, now, and lookup()/query()/q() over the lookup registry.
import { LookupError, TemplateError, UndefinedVariableError } from '../errors';
import type { PluginContext } from './plugin-types';
import type { PluginRegistry } from './plugins';
import { shortPluginName } from './plugins';
import { pyDatetime, strftime } from './pydatetime';
import { PyCallable, PyObject, PyTypeError, raiseUndefined, typeName } from './pyops';
import { Undefined, isDict, isUndefined, pyStr, toNumber, truthy } from './pyvalues';

function intArg(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new PyTypeError(`'${typeName(v)}' object cannot be interpreted as an integer`);
  return v;
}

function range(args: unknown[]): number[] {
  const [a, b, c] = args.map(intArg);
  const start = b === undefined ? 0 : (a as number);
  const stop = b === undefined ? (a ?? 0) : b;
  const step = c ?? 1;
  if (step === 0) throw new PyTypeError('range() arg 3 must not be zero');
  const out: number[] = [];
  if (Math.abs((stop - start) / step) > 100000) throw new TemplateError('Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).');
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

const LOREM = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');

function lipsum(n = 5): string {
  // deterministic stand-in for Jinja's random lorem ipsum
  const paras: string[] = [];
  for (let p = 0; p < n; p++) {
    const words = Array.from({ length: 40 }, (_v, i) => LOREM[(i + p) % LOREM.length] as string);
    const text = words.join(' ');
    paras.push(text.charAt(0).toUpperCase() + text.slice(1) + '.');
  }
  return paras.join('\n\n');
}

function cycler(items: unknown[]): PyObject {
  let pos = 0;
  const obj: PyObject = new PyObject('Cycler', {});
  const sync = (): void => {
    obj.attrs.current = items[pos];
  };
  obj.attrs.next = new PyCallable('next', () => {
    const v = items[pos];
    pos = (pos + 1) % items.length;
    sync();
    return v;
  });
  obj.attrs.reset = new PyCallable('reset', () => {
    pos = 0;
    sync();
    return null;
  });
  sync();
  return obj;
}

function unhandledLookupMessage(name: string, e: unknown): string {
  const err = e as Error;
  const cls = e instanceof TemplateError ? 'ansible.errors.AnsibleError' : err.name;
  return `An unhandled exception occurred while running the lookup plugin '${name}'. Error was a <class '${cls}'>, original message: ${err.message}`;
}

function runLookup(registry: PluginRegistry, ctx: PluginContext, args: unknown[], kwargs: Record<string, unknown>, wantList: boolean): unknown {
  const [nameArg, ...terms] = args;
  const name = shortPluginName(pyStr(nameArg));
  const fn = Object.prototype.hasOwnProperty.call(registry.lookups, name) ? registry.lookups[name] : undefined;
  if (!fn) throw new TemplateError(`lookup plugin (${pyStr(nameArg)}) not found`);
  const { wantlist, errors = 'strict', allow_unsafe: _unsafe, ...rest } = kwargs;
  const asList = wantList || truthy(wantlist);
  for (const t of terms) if (isUndefined(t) && !t.lenient) raiseUndefined(t);
  // listify_lookup_plugin_terms templates the terms: lookup('pipe', '{{ cmd }} x') works
  for (let i = 0; i < terms.length; i++) if (ctx.templar.isTemplate(terms[i])) terms[i] = ctx.templar.template(terms[i]);
  let result: unknown[];
  try {
    result = fn(ctx, terms, rest);
  } catch (e) {
    if (e instanceof UndefinedVariableError) throw e;
    // errors='warn'/'ignore' swallow both handled and unhandled failures
    if (errors === 'warn' || errors === 'ignore') {
      const err = e as Error;
      if (errors === 'warn') ctx.lookups?.warn?.(e instanceof LookupError ? `Lookup failed but the error is being ignored: ${err.message}` : unhandledLookupMessage(name, e));
      return asList ? [] : null;
    }
    if (e instanceof LookupError) throw e;
    const err = e as Error;
    throw new TemplateError(`${unhandledLookupMessage(name, e)}. ${err.message}`);
  }
  if (!truthy(result) || asList) return result;
  // a plugin returning something other than a list: Ansible's ",".join() of it (a dict's keys)
  if (!Array.isArray(result)) {
    if (isDict(result)) return Object.keys(result).join(',');
    if (typeof result === 'string') return [...result].join(',');
    throw new TemplateError(`The lookup plugin '${name}' did not return a list.`);
  }
  if (result.every((x) => typeof x === 'string')) return result.join(',');
  return result.length === 1 ? result[0] : result;
}

export function makeGlobals(registry: PluginRegistry, ctx: PluginContext): Record<string, unknown> {
  const lookup = new PyCallable('lookup', (a, kw) => runLookup(registry, ctx, a, kw, false));
  const query = new PyCallable('query', (a, kw) => runLookup(registry, ctx, a, kw, true));
  return {
    range: new PyCallable('range', (a) => range(a)),
    lipsum: new PyCallable('lipsum', (a, kw) => lipsum(toNumber(a[0] ?? kw.n ?? 5))),
    dict: new PyCallable('dict', (a, kw) => {
      const out: Record<string, unknown> = {};
      const src = a[0];
      if (Array.isArray(src)) for (const p of src) if (Array.isArray(p)) out[pyStr(p[0])] = p[1];
      if (src && typeof src === 'object' && !Array.isArray(src)) Object.assign(out, src);
      return Object.assign(out, kw);
    }),
    namespace: new PyCallable('namespace', (a, kw) => new PyObject('Namespace', { ...(a[0] && typeof a[0] === 'object' ? (a[0] as object) : {}), ...kw })),
    cycler: new PyCallable('cycler', (a) => cycler(a)),
    joiner: new PyCallable('joiner', (a) => {
      const sep = a[0] === undefined ? ', ' : pyStr(a[0]);
      let used = false;
      return new PyCallable('joiner', () => {
        if (!used) {
          used = true;
          return '';
        }
        return sep;
      });
    }),
    lookup,
    query,
    q: query,
    now: new PyCallable('now', (a, kw) => {
      const utc = truthy(a[0] ?? kw.utc ?? false);
      const fmt = a[1] ?? kw.fmt;
      return fmt === undefined || fmt === null ? pyDatetime(new Date(), utc) : strftime(pyStr(fmt), new Date(), utc);
    }),
    undef: new PyCallable('undef', (a, kw) => {
      const hint = a[0] ?? kw.hint;
      return new Undefined('undef', hint === undefined ? 'Mandatory variable has not been overridden' : pyStr(hint));
    }),
  };
}
