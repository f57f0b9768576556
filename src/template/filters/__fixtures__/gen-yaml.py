# Re-records yaml-cases.json expectations with Ansible's AnsibleDumper (libyaml CSafeDumper).
# Run: /usr/bin/python3 gen-yaml.py  (inputs are kept, outputs regenerated)
import json, os, yaml
from ansible.parsing.yaml.dumper import AnsibleDumper
here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, 'yaml-cases.json')
inputs = [c['input'] for c in json.load(open(path))]
out = [{'input': c,
        'to_yaml': yaml.dump(c, Dumper=AnsibleDumper, allow_unicode=True, default_flow_style=None),
        'to_nice_yaml': yaml.dump(c, Dumper=AnsibleDumper, indent=4, allow_unicode=True, default_flow_style=False)}
       for c in inputs]
json.dump(out, open(path, 'w'), indent=1, ensure_ascii=False)
