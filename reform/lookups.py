"""The facts every layer shares, each written once: the unit levels in their display order, the dossier
channels and the day of the 2025 merger. Their names (vi, en) are interface text: present/text.toml, keys level.* and
channel.*.

Why here and not in the database's lookup tables: the codes are needed where no database is open (the
CLI's argparse choices, a link's values checked before any query, the benchmark), and a constant needs
no query, no cache and no file version. The `levels` and `channels` tables of every new database file
are written from this module (reform.db.write_facts, like merger_day()), so the SQL reads the same
codes and order. Status codes go the other way: only code that has a database open reads them (the
importer's labels, the dossier list's names), so the schema's status_codes table is their one place
(queries/status_names.sql).
"""
from __future__ import annotations

import datetime as dt

LEVELS = ("province", "district", "commune", "unassigned")   # units.level, in display order (levels.sort)
UNIT_LEVELS = LEVELS[:-1]   # the levels units are organised in ("unassigned": a dossier's unit is unknown)
CHANNELS = (1, 2, 3)   # dossiers.channel: 1 direct (null counts as direct), 2 online, 3 public postal service
# the new communes and merged departments begin, the district level ends (Resolution 202/2025/QH15);
# the SQL reads it as merger_day(), a macro reform.db.write_facts writes from this constant
MERGER_DAY = dt.date(2025, 7, 1)
