"""What the user types, checked: the AWS CLI's parameter syntax (``file://``, shorthand, JSON: ``paramfile``, ``shorthand``, ``values``), the console CSV (``accounts_csv``, ``accounts_rows``), spreadsheet damage, client-side checks of what the service would refuse (``checks``). Region names are the domain's (``domain.parse_regions``).

May import: ``domain``, ``errors`` (pure; no botocore, click or rich)."""
