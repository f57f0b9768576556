#!/bin/sh
# Re-records test/template-parity/reference.json from the installed ansible-playbook.
# Needs ansible-core 2.14 plus the `ansible` collections, python3-netaddr and python3-jmespath.
set -eu
cd "$(dirname "$0")"
exec node lib/recorder.js "$@"
