"""``--output yaml`` and ``--output yaml-stream`` (AWS CLI v2's formats), with PyYAML.

The AWS CLI v2 formats YAML with ruamel.yaml, so the bytes may differ (quoting, line breaks);
the parsed document does not: it is exactly the document ``--output json`` prints (timestamps
as strings, as the AWS CLI's parser leaves them). ``yaml-stream`` prints a paginated answer a
page at a time, each page as one item of a YAML list (so the whole output parses to the list of
the pages, and each page is printed as soon as it arrives), and any other answer as ``yaml``
does. PyYAML is imported only when YAML is printed or read.
"""

from __future__ import annotations

import json
from typing import Any

from macie_members.render.aws_text import json_default

YAML_OUTPUTS = ("yaml", "yaml-stream")


def _plain(data: Any) -> Any:
    """The document as JSON has it (datetimes as ISO 8601 strings, blobs as base64 text)."""
    return json.loads(json.dumps(data, default=json_default))


def format_yaml(data: Any) -> str:
    """A document as YAML (nothing for an empty answer, as with json)."""
    import yaml

    if isinstance(data, dict) and not data:
        return ""
    text: str = yaml.safe_dump(_plain(data), default_flow_style=False, sort_keys=False, allow_unicode=True,
                               width=1_000_000)
    return text


def format_yaml_page(page: Any) -> str:
    """One page of a paginated answer in ``--output yaml-stream``: an item of the list of pages."""
    return format_yaml([page])
