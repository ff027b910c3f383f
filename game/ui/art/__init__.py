"""The places of the story, drawn by code with pygame: one picture per background, for every front end."""
