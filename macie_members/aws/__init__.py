"""botocore at the edge: the botocore session and Region catalog (``botocore_session``), one botocore client per Region and credentials (``clients``), the typed Macie/STS/EC2 clients with every request's retries and back-off (``client``, ``Caller._send``), the pacer once the service throttles (``pacing``), the redacted ``--debug`` log (``debuglog``).

May import: ``config``, ``records``, ``errors``, the vocabulary and, to install the embedded sandbox, ``sandbox``; botocore only inside functions."""
