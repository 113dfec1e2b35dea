"""During the quarter: monthly check-ins kept in the answers file and the weekly 1:1 log.

`checkins` appends and reads the `check_ins:` entries of an answers file; `weekly` keeps the
running 1:1 log beside the QSR. Nothing here prints. Modules are imported by their full name so
that importing the package costs nothing at start-up.
"""

from __future__ import annotations
