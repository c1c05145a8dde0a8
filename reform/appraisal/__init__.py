"""The council's appraisal round (issue 18): each unit of a peer group scores itself against the year's
criteria (criteria.py, one reviewed file per year and peer group), with notes and evidence files
(evidence.py); the dossier data check the scores the data can answer (check.py); council members
accept, adjust or return each score, the secretary closes and publishes the round (store.py, a SQLite
file in WAL mode apart from the KPI database that imports replace, every change in an audit trail).

Statuses of a unit's entry: draft → submitted → under_appraisal → returned → (submitted again) →
appraised → published. Roles: officer (one unit), council, secretary, viewer (roles.py)."""
