#!/usr/bin/python
# A module of the parity suite that crashes before printing a result.
raise SystemExit('no result from this module')
