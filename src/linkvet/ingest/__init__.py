"""Readers that turn what people have into Profiles."""
