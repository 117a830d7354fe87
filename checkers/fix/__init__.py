"""``oomlint fix``: the passes, their verification and the atomic writes; the imports
fixes add; the noqa comments of ``--add-noqa``; the fixes ``--format full`` shows."""
