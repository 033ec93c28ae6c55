"""`python -m kata.trace`: the tracer's entry point (kata/trace/tracer.py). The first story's child starts before
the tracer loads rich: both start side by side."""

import sys

from kata.core.cli import quiet_start

quiet_start("kata.trace")

from kata.trace.launch import early, stop_on_signals  # noqa: E402 (after the hook: a Ctrl-C is one line)

stop_on_signals()
ready = early(sys.argv[1:])

from kata.trace.tracer import main  # noqa: E402 (after the child has started)

sys.exit(main(ready))
