# Records ansible-cases.json: each case of cases.py rendered by Ansible 2.14's own Templar as
# {{ (input | filter(args)) | to_json }}. Run: /usr/bin/python3 gen2.py ansible-cases.json
import json, os, sys
os.environ['TZ'] = 'UTC'
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import C
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
templar = Templar(loader=DataLoader(), variables={})
C = [c for c in C if c]
res = []
for kind, name, value, args, kw in C:
    parts = [repr(a) for a in args] + ['%s=%s' % (k, repr(v)) for k, v in kw.items()]
    call = name + ('(' + ', '.join(parts) + ')' if parts else '')
    expr = '(%s | %s)' % (repr(value), call) if kind == 'f' else '(%s is %s)' % (repr(value), call)
    try:
        out = templar.template('{{ %s | to_json }}' % expr, escape_backslashes=False)
        err = None
    except Exception as e:
        out = None
        err = str(e).split('\n')[0][-200:]
    res.append({'kind': kind, 'name': name, 'input': value, 'args': args, 'kwargs': kw, 'expected': out, 'error': err})
json.dump(res, open(sys.argv[1], 'w'), indent=1, ensure_ascii=False)
print('cases', len(res), 'errors', sum(1 for r in res if r['error']))
for r in res:
    if r['error']: print(r['name'], r['input'], r['args'], r['kwargs'], '->', r['error'])
