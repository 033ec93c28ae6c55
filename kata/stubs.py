"""`python -m kata.stubs`: write the learner's stubs again from the references (kata/core/stubs.py)."""

import sys

from kata.core.stubs import main

if __name__ == "__main__":
    sys.exit(main())
