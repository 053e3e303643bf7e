"""``python -m kalbajar_report``: build the briefing."""

from .cli import main

raise SystemExit(main())
