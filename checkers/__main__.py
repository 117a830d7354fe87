from oomlint.hosts.cli import main

raise SystemExit(main())
