#!/bin/sh
echo "script secret"
