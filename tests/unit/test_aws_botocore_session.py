"""macie_members.aws.botocore_session: the Region catalog read from botocore's endpoint data."""

from __future__ import annotations


def test_offered_regions_are_botocores() -> None:
    """The Region check reads the endpoint data itself (fast); it finds what botocore's
    ``get_available_regions`` finds, in every partition."""
    import botocore.session

    from macie_members.aws.botocore_session import region_catalog

    session = botocore.session.get_session()
    partitions = session.get_available_partitions()
    expected = sorted({r for p in partitions for r in session.get_available_regions("macie2", partition_name=p)})
    known = {r for p in partitions for r in session.get_available_regions("ec2", partition_name=p)}
    catalog = region_catalog(botocore.session.get_session())
    offered, every = list(catalog.offered), set(catalog.known)
    assert offered == expected and "us-east-1" in offered
    assert every == known | set(expected)
