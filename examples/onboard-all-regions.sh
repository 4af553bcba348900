#!/usr/bin/env bash
# Onboard the accounts of a console CSV (Account ID,Email) in every Region where Macie is offered
# and enabled for the administrator account: add them, then invite them, keeping a report.
# Safe to rerun: accounts already added or invited are skipped.
set -euo pipefail
CSV="${1:-accounts.csv}"
REPORT="${2:-onboard-$(date +%Y%m%d-%H%M%S).jsonl}"

macie-members create-member --accounts-file "$CSV" --all-regions --report "$REPORT" --output table
macie-members create-invitations --accounts-file "$CSV" --all-regions --report "$REPORT" \
    --disable-email-notification --output table
echo "report: $REPORT" >&2
