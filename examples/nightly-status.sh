#!/usr/bin/env bash
# Nightly: every account of the organization and its status, per Region, as a CSV file
# (Region, Account ID, Email, Status). Suitable for cron.
set -euo pipefail
OUT="${1:-macie-members-$(date +%Y%m%d).csv}"
{
    echo "Region,Account ID,Email,Status"
    macie-members list-members --only-associated false --all-regions --no-progress --output text \
        --query 'regions[].members[].[arn, accountId, email, relationshipStatus]' |
        awk -F'\t' '{ split($1, arn, ":"); print arn[4] "," $2 "," $3 "," $4 }'
} > "$OUT"
echo "wrote $OUT" >&2
