"""``oomlint fix``: the passes, their verification and the atomic writes."""
