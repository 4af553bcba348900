"""The baseline of the latency-bound benchmark: the same onboarding as a plain, sequential boto3
script, one call at a time.

    python benchmarks/sequential_boto3.py ACCOUNTS.csv us-east-1,eu-west-1 [--onboarding two-commands|onboard]

Endpoint, credentials and Region come from the environment (``AWS_ENDPOINT_URL``...). It makes
the calls macie-members makes: for each Region, the inventory (ListMembers, 25 per page) and a
CreateMember for each account not in it; then ("two-commands") the inventory again, or ("onboard")
the accounts just added, and CreateInvitations of the accounts in Created, 50 ids per request.
It prints one JSON line: ``{"seconds": ..., "calls": {operation: count}}``.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("regions")
    parser.add_argument("--onboarding", default="two-commands")
    args = parser.parse_args()

    start = time.perf_counter()
    import boto3
    from botocore.config import Config

    with open(args.csv, encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    accounts = [(row[0].strip(), row[1].strip()) for row in rows if row]
    calls: Counter[str] = Counter()
    config = Config(retries={"mode": "standard"})

    def inventory(client: Any) -> dict[str, str]:
        members: dict[str, str] = {}
        kwargs: dict[str, Any] = {"onlyAssociated": "false", "maxResults": 25}
        while True:
            page = client.list_members(**kwargs)
            calls["ListMembers"] += 1
            members.update({m["accountId"]: m["relationshipStatus"] for m in page.get("members", [])})
            if not page.get("nextToken"):
                return members
            kwargs["nextToken"] = page["nextToken"]

    clients = {region: boto3.client("macie2", region_name=region, config=config) for region in args.regions.split(",")}
    added: dict[str, list[str]] = {}
    for region, client in clients.items():
        existing = inventory(client)
        added[region] = []
        for account, email in accounts:
            if account not in existing:
                client.create_member(account={"accountId": account, "email": email})
                calls["CreateMember"] += 1
                added[region].append(account)
    for region, client in clients.items():
        if args.onboarding == "onboard":
            to_invite = added[region]
        else:
            members = inventory(client)
            to_invite = [a for a, _ in accounts if members.get(a) == "Created"]
        for i in range(0, len(to_invite), 50):
            client.create_invitations(accountIds=to_invite[i:i + 50])
            calls["CreateInvitations"] += 1
    print(json.dumps({"seconds": time.perf_counter() - start, "calls": dict(calls)}))


if __name__ == "__main__":
    main()
