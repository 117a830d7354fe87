from oomlint.cli import main

raise SystemExit(main())
