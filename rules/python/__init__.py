"""Rules for Python source, run by the engine in every host."""
