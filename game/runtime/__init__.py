"""Play time: the story model, expressions, the state machine and a player's playthrough.

Nothing here reads files or draws anything; the loader builds a
:class:`~game.runtime.model.Story`, and front ends drive a
:class:`~game.runtime.playthrough.Playthrough`.
"""
