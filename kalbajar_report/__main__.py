"""``python -m kalbajar_report``: build the briefing."""

from .cli import process_main

raise SystemExit(process_main())
