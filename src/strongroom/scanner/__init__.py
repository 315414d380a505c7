"""Strongroom's git secret-leak scanner. Stands alone: imports nothing else from strongroom.

Layout: `rule.py` (Rule and builders), `detectors/` (the catalogue), `engine.py` (Hyperscan + RE2),
`filters.py`, `decode.py`, `scan.py` (Detector, Finding), `sources.py` (git history, dir, staged, stdin),
`runner.py`, `report.py`, `config.py`, `baseline.py`, `managed.py`, `alerts.py`, `checksums.py`.
"""

from strongroom.scanner.checksums import strongroom_token, verify_strongroom_token
from strongroom.scanner.scan import Detector, Finding

__all__ = ["Detector", "Finding", "strongroom_token", "verify_strongroom_token"]
