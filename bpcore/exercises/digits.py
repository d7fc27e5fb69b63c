"""Checks for the exercises of :doc:`/chapters/08_digits`."""
