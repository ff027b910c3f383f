"""We the Living: an interactive novel.

The engine core (this package minus ``game.ui``) loads a story folder of
YAML scenes and plays it as a ``transitions`` state machine. Front ends
and tools talk to it through a small surface::

    story = load_story("story/we_the_living")
    play = Playthrough(story, seed=1)
    play.choices()        # what the player may do now
    play.choose(0)        # pick one
    play.to_dict()        # plain JSON data, for saves and records
"""

__version__ = "0.1.0"
