"""The hosts users run oomlint in: the CLI, flake8, pylint and the language server."""
