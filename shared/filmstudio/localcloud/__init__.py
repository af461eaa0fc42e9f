"""The local cloud of DESIGN §4: moto with Step Functions execution, an in-process
Lambda runtime and a worker pool for asynchronous invocations."""

from filmstudio.localcloud.cloud import LocalCloud

__all__ = ["LocalCloud"]
