"""Checks for the exercises of :doc:`/chapters/03_autodiff`."""
