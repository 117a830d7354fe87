"""Python: the walker, the semantic model and the analysis helpers rules ask, and the
libcst helpers their fixes use."""
