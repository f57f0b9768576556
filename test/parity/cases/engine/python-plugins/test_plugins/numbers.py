class TestModule(object):
    def tests(self):
        return {'even_number': lambda n: n % 2 == 0}
