#!/usr/bin/python
# A module of the parity suite: echoes its arguments, upper-cased when asked; supports check mode.
from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(
        argument_spec=dict(text=dict(type='str', required=True), upper=dict(type='bool', default=False)),
        supports_check_mode=True,
    )
    text = module.params['text']
    if module.params['upper']:
        text = text.upper()
    if text == 'FAIL':
        module.fail_json(msg='asked to fail', text=text)
    module.exit_json(changed=module.params['upper'], text=text, check=module.check_mode)


if __name__ == '__main__':
    main()
