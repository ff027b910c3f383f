"""The window's screens, one module each."""
