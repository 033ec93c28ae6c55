"""The tracer (`python -m kata.trace`): a guarded child runs the learner's functions and streams each gradient
step; this side judges the code against independent checks and draws the article's pictures. It imports
kata.core only."""
