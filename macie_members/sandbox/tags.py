"""Tags on member ARNs: TagResource, UntagResource and ListTagsForResource (the model has them,
and Terraform manages member tags through them: hashicorp/terraform-provider-aws ``member.go``).

:class:`TagSide` is a mixin of :class:`macie_members.sandbox.models.SandboxMacieBackend`. Only a
member ARN of the caller's own inventory in the Region is a resource the sandbox has; any other
Macie ARN answers that the sandbox does not emulate it (its resources are members only), and a
member ARN of an account not in the inventory answers ResourceNotFoundException.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from macie_members.sandbox.exceptions import ResourceNotFoundException, ValidationException
from macie_members.sandbox.rules import check_tags

if TYPE_CHECKING:
    from macie_members.sandbox.inventory import InventoryEntry


class TagSide:
    """Tag operations; the attributes are those of SandboxMacieBackend."""

    account_id: str
    region_name: str
    partition: str
    inventory: dict[str, InventoryEntry]

    if TYPE_CHECKING:
        def _require_macie(self) -> None: ...

    def _tagged_entry(self, arn: Any) -> InventoryEntry:
        self._require_macie()
        prefix = f"arn:{self.partition}:macie2:{self.region_name}:{self.account_id}:member/"
        if not isinstance(arn, str) or not arn.startswith(prefix):
            raise ValidationException(
                f"The request failed because {arn!r} is not a member ARN of your account in "
                f"{self.region_name} (the sandbox emulates tags on member accounts only)."
            )
        entry = self.inventory.get(arn[len(prefix):])
        if entry is None:
            raise ResourceNotFoundException("The request failed because the resource doesn't exist.")
        return entry

    def tag_member(self, arn: Any, tags: Any) -> None:
        entry = self._tagged_entry(arn)
        if not isinstance(tags, dict) or not tags:
            raise ValidationException("The request failed because tags is required.")
        entry.tags = check_tags({**entry.tags, **check_tags(tags)})

    def untag_member(self, arn: Any, keys: list[str]) -> None:
        entry = self._tagged_entry(arn)
        if not keys:
            raise ValidationException("The request failed because tagKeys is required.")
        entry.tags = {k: v for k, v in entry.tags.items() if k not in set(keys)}

    def member_tags(self, arn: Any) -> dict[str, str]:
        return dict(self._tagged_entry(arn).tags)
