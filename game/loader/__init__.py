"""Load time: safe YAML with positions, field checks, building the model, the story cache and reload."""
