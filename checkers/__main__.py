from oomlint.hosts.command import main

raise SystemExit(main())
