from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if kwargs.get('as_dict'):
            return {'apple': 3, 'pear': 5}
        return ['%s basket' % t for t in terms]
