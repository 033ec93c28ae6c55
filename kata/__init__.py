"""The gradient-descent kata: rebuild gradient descent by hand, one failing test at a time."""

__version__ = "0.1.0"
