"""How the numbers look: interface text (text.toml), number and date formats, colours, and the council's
documents. The dashboard (ui/, pages/) and the command line import it; the domain (reform/) never does."""
