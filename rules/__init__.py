"""The rules: one module each, grouped by family. Defining a rule class registers it."""
