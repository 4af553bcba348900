#!/usr/bin/env bash
# Offboard the accounts of a CSV from the given Regions: disassociate, then delete the
# associations. Accounts already gone are skipped, so a rerun finishes an interrupted run.
set -euo pipefail
CSV="${1:?usage: offboard.sh leavers.csv [us-east-1,eu-west-1]}"
REGIONS="${2:-us-east-1}"

macie-members disassociate-member --accounts-file "$CSV" --regions "$REGIONS" --yes --output table
macie-members delete-member --accounts-file "$CSV" --regions "$REGIONS" --yes --output table
