#!/usr/bin/env bash
# Audit the project's installed dependencies with pip-audit (PyPI's vulnerability data).
# Exit 0: none known. Exit 1: a known vulnerability. Exit 2 (only with --strict): some dependency
# could not be audited (the closing line says so either way).
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-.venv/bin/python}" bench/audit.py "$@"
