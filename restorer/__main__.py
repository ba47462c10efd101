from restorer.cli.main import main

raise SystemExit(main())
