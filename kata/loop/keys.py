"""Single key presses: moved to kata/core/keys.py, which the tracer shares; this name stays for the loop's imports."""

from kata.core.keys import ESCAPE, ESCAPE_WAIT, NAMED, Keys, incomplete, keys_from  # noqa: F401
