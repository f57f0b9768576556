// The Python side of python-plugins.ts: reads one JSON request on stdin, loads the plugin file
// (with ansible-core importable, as the plugin expects), runs it, prints one JSON reply.
export const PYTHON_PLUGIN_HOST = String.raw`
import importlib.util, json, os, re, sys

def load(path):
    name = 'tsible_plugin_' + re.sub(r'\W', '_', os.path.splitext(os.path.basename(path))[0])
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

def functions(mod, kind):
    cls = getattr(mod, 'FilterModule' if kind == 'filter' else 'TestModule', None)
    if cls is None:
        return {}
    obj = cls()
    return dict(obj.filters() if kind == 'filter' else obj.tests())

def plain(o):
    if isinstance(o, (set, frozenset, tuple)) or (hasattr(o, '__iter__') and not isinstance(o, (str, bytes, dict))):
        return list(o)
    if isinstance(o, bytes):
        return o.decode('utf-8', 'surrogateescape')
    return str(o)

def reply(ok, **kw):
    sys.stdout.write('\n' + json.dumps(dict(ok=ok, **kw), default=plain) + '\n')

def main():
    req = json.load(sys.stdin)
    op = req['op']
    if op == 'list':
        out = {}
        for path in req['files']:
            try:
                out[path] = sorted(functions(load(path), req['kind']))
            except Exception:
                out[path] = None
        return reply(True, value=out)
    mod = load(req['file'])
    if op in ('filter', 'test'):
        fn = functions(mod, op)[req['name']]
        value = fn(req['value'], *req['args'], **req['kwargs'])
        if not isinstance(value, (str, bytes, dict, list)) and hasattr(value, '__iter__'):
            value = list(value)
        return reply(True, value=value)
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar
    loader = DataLoader()
    lookup = mod.LookupModule(loader=loader, templar=Templar(loader=loader))
    return reply(True, value=lookup.run(req['terms'], {}, **req['kwargs']))

try:
    main()
except Exception as e:
    reply(False, type=type(e).__name__, msg=str(e))
`;
