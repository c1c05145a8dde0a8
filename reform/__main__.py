from cli import main  # the command line lives in cli/: it composes the domain, the documents and the twin

raise SystemExit(main())
