"""The dojo and the review, through a recording console with a fake clock."""
