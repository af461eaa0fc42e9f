"""Accounts and tokens: argon2id passwords, RS256 access tokens, rotating refresh tokens.

The API and the API Gateway authorizer verify access tokens with the same code
(`filmstudio.auth.tokens.verify_access_token`).
"""
