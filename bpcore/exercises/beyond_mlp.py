"""Checks for the exercises of :doc:`/chapters/09_beyond_mlp`."""
