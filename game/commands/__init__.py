"""One module per ``kira`` command; each keeps heavy imports inside ``run``."""
