"""Strongroom's git secret-leak scanner. Stands alone: imports nothing else from strongroom.

Layout: `rule.py` (Rule and builders), `detectors/` (the catalogue), `engine.py` (Hyperscan + RE2),
`filters.py`, `decode.py`, `scan.py` (Detector, Finding), `sources.py` (commit walk, dir, staged, stdin),
`packscan.py` + `packread.py` + `attribution.py` (full-history scan: every delta chain rebuilt once),
`runner.py`, `report.py`, `config.py`, `baseline.py`, `managed.py` (managed-secret check), `alerts.py`
(webhook), `checksums.py`, `errors.py`, `api.py` (what the CLI uses).
"""

from strongroom.scanner.checksums import strongroom_token, verify_strongroom_token
from strongroom.scanner.scan import Detector, Finding

__all__ = ["Detector", "Finding", "strongroom_token", "verify_strongroom_token"]
