#!/bin/sh
echo "script args: $*"
echo err >&2
