"""The core every tool shares: the steps and their content (content.toml), the learner's code loaded and run
guarded under time limits, checks and their outcomes, states and times, the learner's files and the kata's memory
in .kata/, the run log, and the pytest plugin. It imports nothing from kata.loop, kata.trace or kata.dojo."""
