"""Shared code every app may import: it imports no app (tests/seslip/test_dependencies.py)."""
