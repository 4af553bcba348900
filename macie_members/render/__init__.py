"""Every byte written to stdout and stderr: the renderer, the AWS CLI's json/text/table, the tool's own documents, CSV, skeletons.

May import: ``domain``, ``records``, ``errors``, ``config`` (types); the only layer that imports rich."""
