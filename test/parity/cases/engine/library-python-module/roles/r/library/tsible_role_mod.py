#!/usr/bin/python
# A role's module in the parity suite: returns a fixed fact.
from ansible.module_utils.basic import AnsibleModule

module = AnsibleModule(argument_spec=dict())
module.exit_json(changed=False, ansible_facts=dict(from_role_module='yes'))
