"""Use macie-members as a library: read the console CSV, add the accounts in two Regions.

Run it against the sandbox with no AWS account:
    MACIE_MEMBERS_SANDBOX=1 python examples/use_from_python.py examples/accounts.csv
(the script starts the in-process sandbox itself when MACIE_MEMBERS_SANDBOX is set).
"""

from __future__ import annotations

import contextlib
import os
import sys

from macie_members.accounts import AccountsFileError, read_accounts
from macie_members.bulk import BulkRun, Target, plan_create_member
from macie_members.client import Aws, AwsSettings
from macie_members.fanout import summarize


def main(path: str) -> int:
    try:
        accounts = read_accounts(path, require_email=True).accounts
    except AccountsFileError as exc:
        print(exc, file=sys.stderr)
        return 252
    targets = [Target(a.account_id, a.email) for a in accounts]
    with contextlib.ExitStack() as stack:
        if os.environ.get("MACIE_MEMBERS_SANDBOX"):
            from macie_members.sandbox import mock_sandbox

            stack.enter_context(mock_sandbox())
        aws = Aws(AwsSettings(region="us-east-1"))
        run = BulkRun(aws, ["us-east-1", "eu-west-1"], max_concurrency=8)
        results = run.execute("create-member", targets, plan_create_member(tags=None))
    for result in results:
        print(result.region, result.accountId, result.outcome, result.errorMessage or "")
    print(summarize(results))
    return 1 if any(r.outcome == "failed" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "examples/accounts.csv"))
