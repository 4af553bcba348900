"""Use macie-members as a library: read the console CSV, add the accounts in two Regions.

The layers are the CLI's own: a frozen configuration, one run session, a pure planner, the
executor. Run it against the sandbox with no AWS account:
    MACIE_MEMBERS_SANDBOX=1 python examples/use_from_python.py examples/accounts.csv
(MACIE_MEMBERS_SANDBOX=1 makes the run use the embedded sandbox, as `--sandbox` does).
"""

from __future__ import annotations

import sys

from macie_members.api import (
    AccountsFileError,
    GlobalSettings,
    RunOptions,
    Target,
    open_run,
    plan_create_member,
    plan_regions,
    read_accounts,
    summarize,
)


def main(path: str) -> int:
    try:
        accounts = read_accounts(path, require_email=True).accounts
    except AccountsFileError as exc:
        print(exc, file=sys.stderr)
        return 252
    targets = [Target(a.account_id, a.email) for a in accounts]
    run = open_run(
        GlobalSettings(),  # (the Regions are the run options'; region= beside them is refused, as --region)
        RunOptions(regions=("us-east-1", "eu-west-1"), max_concurrency=8, bulk=True, records=True),
    )
    with run as session:
        plan, _unreadable = plan_regions(session, targets,
                                         lambda region, inventory, chunk: plan_create_member(region, inventory, chunk))
        results = session.execute(plan)
    for result in results:
        print(result.region, result.accountId, result.outcome, result.errorMessage or "")
    print(summarize(results))
    return 1 if any(r.outcome == "failed" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "examples/accounts.csv"))
