from reform.cli import main

raise SystemExit(main())
