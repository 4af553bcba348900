#!/usr/bin/env bash
# Nightly drift check: does the Macie organization still match the accounts CSV, in every Region
# where Macie is offered and enabled? Reads only: nothing is changed. Suitable for cron or CI
# (a non-zero exit fails the job). The plan is kept as JSON (its "drift" says it too).
#   0: no drift: every account of the file is a member or invited, and no other account is.
#   2: drift: a sync would add, invite, re-add or remove an account, or an account needs a
#      person (its email failed verification, its Region is disabled, it is suspended).
#      Converge with: macie-members sync accounts.csv --all-regions --prune --yes
#   anything else: the check itself failed (252 a bad file or option, 253 configuration or
#      credentials, 254 a Region's inventory can't be read); the message is on stderr.
set -euo pipefail
CSV="${1:-accounts.csv}"
PLAN="${2:-drift-$(date +%Y%m%d).json}"

rc=0
macie-members sync "$CSV" --all-regions --prune --plan --detailed-exitcode --output json > "$PLAN" || rc=$?
case "$rc" in
    0) echo "no drift: the organization matches $CSV (plan: $PLAN)" >&2 ;;
    2) echo "DRIFT: the organization differs from $CSV; see $PLAN" >&2 ;;
    *) echo "the drift check failed (exit $rc); see the message above" >&2 ;;
esac
exit "$rc"
