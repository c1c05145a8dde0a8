"""python -m reform ...: the command line, which lives in cli/ (it composes the domain, the documents and
the JSON twin; the domain imports none of them)."""
from cli import entry

entry()
