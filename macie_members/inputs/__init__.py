"""What the user types, checked: option values, ``file://``, shorthand, the console CSV, spreadsheet damage, client-side checks.

May import: ``domain``, ``errors`` (pure; no botocore, click or rich)."""
