#!/usr/bin/python
# WANT_JSON
# A module of the parity suite that reads its arguments as plain JSON (no AnsibleModule).
import json
import sys

with open(sys.argv[1]) as f:
    args = json.load(f)
print(json.dumps({'changed': False, 'keys': sorted(k for k in args if not k.startswith('_'))}))
