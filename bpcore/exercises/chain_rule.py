"""Checks for the exercises of :doc:`/chapters/02_chain_rule`."""
