"""The version, here so that any layer can name it without importing the hosts."""

__version__ = "0.1.0"
