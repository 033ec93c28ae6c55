"""`python -m kata.trace`: the tracer's entry point (kata/trace/tracer.py)."""

import sys

from kata.core.cli import quiet_start

quiet_start("kata.trace")

from kata.trace.tracer import main  # noqa: E402 (after the hook: a Ctrl-C while loading is one line)

sys.exit(main())
