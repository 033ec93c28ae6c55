"""The tracer: its stories on the reference and on the learner's code (right and wrong), pacing, and act II's figures."""
