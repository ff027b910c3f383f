"""Text from story files, saves and players, made safe to show on a terminal as the words it holds.

A terminal acts on what it is sent: ``ESC ] 0 ;`` retitles the window,
``ESC [ 2 J`` clears the screen, OSC 8 makes a hidden link, and C1 bytes
such as U+009B do the same without an ESC. The loader refuses such
characters in story files, but a save file, an assignment or a story
loaded by an older engine can still carry them. :func:`plain` removes
whole escape sequences (not just their ESC, which would leave
``]0;title`` on screen), the other control characters, and the Unicode
controls that reorder text on screen, keeping tabs and newlines.

Rich never sees such text as markup either: front ends wrap it in
``rich.text.Text``, which shows ``[/x]`` as the four characters it is.
"""

from __future__ import annotations

import re

_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[ [0-?]* [ -/]* [@-~]?               # CSI: colours, cursor moves, clearing
    | \x9b [0-?]* [ -/]* [@-~]?                 # the same, introduced by the C1 byte
    | (?:\x1b\]|\x9d) .*? (?:\x07|\x1b\\|\x9c|$)  # OSC: window titles, hyperlinks (ended by BEL or ST)
    | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]) .*? (?:\x1b\\|\x9c|$)  # DCS, SOS, PM, APC strings
    | \x1b [ -/]* [0-~]?                        # any other escape, and a lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)
# Other C0 and C1 controls (not tab or newline), DEL, and the bidirectional overrides and isolates
# that make a terminal show characters in another order than they are stored.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """``text`` without escape sequences and control characters; tabs and newlines are kept."""
    if text.isprintable():  # the usual case, decided in C
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def choice_number(entry: str, limit: int = 9999) -> int | None:
    """The number typed at a prompt, or None unless it is ASCII digits of a sensible size.

    ``str.isdigit`` is true for ``²`` and other digits ``int`` cannot read, and
    ``int`` refuses 5,000 digits: neither may reach it.
    """
    if not entry.isascii() or not entry.isdigit() or len(entry) > len(str(limit)):
        return None
    return int(entry)
