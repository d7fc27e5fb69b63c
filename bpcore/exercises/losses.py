"""Checks for the exercises of :doc:`/chapters/04_losses`."""
