#!/bin/sh
# creates the file named by $1
touch "$1"
