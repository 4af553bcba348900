"""Every byte a command writes to stdout and stderr, the ``[y/N]`` prompt included: the renderer (``Renderer``: documents, warnings, notes, progress, the prompt), the AWS CLI's json/text/table, the tool's own documents, CSV, skeletons. (click's own usage errors, and the one line of an error that ends the command, are the CLI's.)

May import: ``domain``, ``records``, ``errors``, ``config`` (types); the only layer that imports rich."""
