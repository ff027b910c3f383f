"""Automatic playthroughs: random play, the exhaustive search, test plans and witnesses."""
