#!/usr/bin/env bash
# Nightly: the account x Region matrix of relationship statuses as a CSV file (Account ID, Email,
# then one column per Region), safe to open in a spreadsheet. Suitable for cron.
set -euo pipefail
OUT="${1:-macie-members-$(date +%Y%m%d).csv}"
macie-members status --all-regions --no-progress --output csv > "$OUT"
echo "wrote $OUT" >&2
