#!/bin/sh
# Copy the model directory from S3 to instance storage when told where it is (Batch; SageMaker
# does this itself from ModelDataUrl), then hand over to the serving app or the one Batch request.
set -e
if [ -n "$FILMSTUDIO_MODEL_S3" ]; then
    python - <<'PY'
import os, boto3
from pathlib import Path
uri = os.environ["FILMSTUDIO_MODEL_S3"]
bucket, prefix = uri[5:].split("/", 1)
root = Path(os.environ.get("FILMSTUDIO_MODEL_DIR", "/opt/ml/model"))
s3 = boto3.client("s3")
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
    for obj in page.get("Contents", []):
        dest = root / obj["Key"][len(prefix):].lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        s3.download_file(bucket, obj["Key"], str(dest))
PY
fi
exec python -m filmstudio.studio.container "$@"
