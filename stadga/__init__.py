"""Stadga: a municipality's IT policy as working software."""

__version__ = "0.1.0"
