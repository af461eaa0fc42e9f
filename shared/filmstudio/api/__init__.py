"""The REST API: a FastAPI app (`filmstudio.api.app.create_app`) served by Mangum on Lambda
and by uvicorn under the local cloud (`filmstudio.localcloud.serve`).

Kept free of imports so that the API Lambda's cold start pays only for what it uses.
"""
