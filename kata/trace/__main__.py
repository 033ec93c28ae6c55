"""`python -m kata.trace`: the tracer's entry point (kata/trace/tracer.py). The first story's child starts before
the tracer loads rich: both start side by side."""

import sys

from kata.core.cli import quiet_start

quiet_start("kata.trace")

from kata.trace.launch import early  # noqa: E402 (after the hook: a Ctrl-C is one line)

ready = None
try:
    ready = early(sys.argv[1:])
    from kata.trace.tracer import main  # noqa: E402 (after the child has started)
except (
    BaseException
):  # stopped, or no rich, while the tracer loaded: its child and the child's files go too
    if ready is not None:
        ready.child.close()
    raise  # quiet_start's hook says it in one line, with its exit status

sys.exit(main(ready))
