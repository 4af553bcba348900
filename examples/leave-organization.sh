#!/usr/bin/env bash
# Member side: run with the MEMBER account's credentials (a profile, or the variables of
# `aws sts assume-role`). Shows the invitations and the administrator in every Region, then
# declines what is still pending from ADMINISTRATOR and leaves its organization everywhere.
# Reruns are safe: what is already done is skipped.
#   leave-organization.sh 123456789012 [--yes]
# Try it on the sandbox: MACIE_MEMBERS_SANDBOX=1 MOTO_ACCOUNT_ID=<member account> leave-organization.sh ...
set -euo pipefail
ADMINISTRATOR="${1:?usage: leave-organization.sh ADMINISTRATOR_ACCOUNT_ID [--yes]}"
YES="${2:-}"

echo "Invitations, by Region:"
macie-members list-invitations --all-regions --output text \
    --query 'regions[].[region, length(invitations[?relationshipStatus==`Invited`]), administrator]'
macie-members get-administrator-account --all-regions --output text \
    --query 'regions[?administrator].[region, administrator.accountId, administrator.relationshipStatus]'

# Destructive across Regions: asks on a terminal, needs --yes otherwise.
macie-members decline-invitations --account-ids "$ADMINISTRATOR" --all-regions ${YES:+--yes} --output table
macie-members disassociate-from-administrator-account --all-regions ${YES:+--yes} --output table
