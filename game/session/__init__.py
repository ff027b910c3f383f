"""A player's session around a playthrough: saves, the autosave, the gallery, settings and assignments."""
