"""`python -m kata.trace`: the tracer's entry point (kata/trace/tracer.py)."""

import sys

from kata.trace.tracer import main

sys.exit(main())
