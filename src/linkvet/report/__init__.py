"""Outputs: they know only `Assessment`s, never profiles or detectors."""
