"""Checks for the exercises of :doc:`/chapters/06_vanishing_exploding`."""
