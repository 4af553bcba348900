#!/usr/bin/env bash
# Nightly: the account x Region matrix of relationship statuses as a CSV file (Account ID, Email,
# one column per Region, then Membership: invitation or organization), safe to open in a
# spreadsheet. Suitable for cron.
set -euo pipefail
OUT="${1:-macie-members-$(date +%Y%m%d).csv}"
macie-members status --all-regions --no-progress --output csv > "$OUT"
echo "wrote $OUT" >&2
