"""Checks for the exercises of :doc:`/chapters/07_optimizers`."""
