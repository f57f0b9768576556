class FilterModule(object):
    def filters(self):
        return {'reverse_octets': lambda ip: '.'.join(reversed(ip.split('.')))}
