"""The learner's loop: `python -m kata` and watch mode, on copies of the kata, with every flag fuzzed."""
