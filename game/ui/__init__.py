"""Front ends: the only part of the package that imports rich or pygame."""
