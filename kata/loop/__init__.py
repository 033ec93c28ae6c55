"""The learner's loop (`python -m kata`): the application object, the commands, the screens, watch mode, key
presses and the doctor. It imports kata.core only."""
