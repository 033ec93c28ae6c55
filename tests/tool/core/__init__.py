"""The shared core's tests: the guard and warm checks, the checks' outcomes, .kata/ and its damaged data, the content."""
