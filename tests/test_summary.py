"""The playthrough summary: how the path compared with the novel's, in words for any front end."""

from __future__ import annotations

from game.runtime.playthrough import Playthrough
from game.runtime.summary import summarize


def test_counts_read_as_english(tiny):
    play = Playthrough(tiny)
    play.choose(0)
    assert summarize(play).lines()[0].startswith("You made 1 choice. In 1 of them")
    assert "you chose as she did once (100%)" in summarize(play).lines()[0]
    play.choose(0)
    first = summarize(play).lines()[0]
    assert first.startswith("You made 2 choices.") and "as she did 2 times (100%)" in first


def test_departures_name_both_choices(tiny):
    play = Playthrough(tiny)
    play.choose(1)  # hide, where the novel's Kira is brave
    summary = summarize(play)
    assert summary.matched == 0 and summary.agreement == 0
    assert "The Hall: you chose \"Hide\"; Kira chose \"Be brave\"" in "\n".join(summary.lines())


def test_spoken_labels_keep_their_own_quotation_marks(tiny):
    from dataclasses import replace

    from game.runtime.summary import Departure

    summary = replace(summarize(Playthrough(tiny)),
                      departures=[Departure("hall", "The Hall", "Hide", '"No." Say it and go.')])
    assert 'you chose "Hide"; Kira chose "No." Say it and go.' in "\n".join(summary.lines())
