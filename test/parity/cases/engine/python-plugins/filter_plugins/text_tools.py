# Filters shipped beside the playbook: tsible runs them with python3 as Ansible would.
from ansible.errors import AnsibleFilterError


def shout(value, suffix='!'):
    return value.upper() + suffix


def pairs(value):
    if not isinstance(value, dict):
        raise AnsibleFilterError('pairs expects a dict, got %s' % type(value).__name__)
    return ((k, v) for k, v in sorted(value.items()))


class FilterModule(object):
    def filters(self):
        return {'shout': shout, 'pairs': pairs}
