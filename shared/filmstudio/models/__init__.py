"""Pydantic domain models shared by the API, the pipeline stages and the CLI."""
