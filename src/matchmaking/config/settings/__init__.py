"""Settings split by purpose: ``base`` (everything, from the environment), ``dev``, ``demo``,
``test`` and ``production`` on top of it."""
