"""S3: the key layout of DESIGN §3 and the content-addressed artifact store."""
