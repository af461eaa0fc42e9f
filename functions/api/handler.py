"""API Gateway (REST, Lambda proxy) -> the FastAPI app, through Mangum.

Built at import time so a warm container reuses the app; its heavy dependencies
(boto3, PynamoDB, the JWT library, script analysis) are imported on first use.
"""

from mangum import Mangum

from filmstudio.api.app import create_app

app = create_app()
handler = Mangum(app, lifespan="off")
