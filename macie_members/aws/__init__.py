"""botocore at the edge: the botocore session, clients, the typed Macie/STS/EC2 clients, pacing, the redacted debug log.

May import: ``config``, ``records``, ``errors`` and, to install the embedded sandbox, ``sandbox``; botocore only inside functions."""
