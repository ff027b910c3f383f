"""Writers' tools: the linter, automatic playthroughs, the story map, the schema and export."""
