"""Checks for the exercises of :doc:`/chapters/05_backward_pass`."""
