"""The dojo (`python -m kata dojo`) for a group at one projector, and the review of its run log afterwards. It
imports kata.core and kata.loop."""
