"""Import and validate units, procedures, dossiers, indicators and unit mapping files (DESIGN §4, §8).
Being split by stage: what has no module of its own yet is in run.py."""
from __future__ import annotations

from reform.importer.report import _HIDDEN_RE
from reform.importer.run import FAILURES, _clean_stale_tmp, cmd_import, cmd_validate, failure, os_user, run_import

# what other modules and the tests use: reform.cli (cmd_import, cmd_validate, FAILURES, failure), the
# Data page's upload (_clean_stale_tmp), the tests (run_import, os_user, _HIDDEN_RE)
__all__ = ["FAILURES", "_HIDDEN_RE", "_clean_stale_tmp", "cmd_import", "cmd_validate", "failure", "os_user",
           "run_import"]
