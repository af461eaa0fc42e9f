"""DynamoDB tables, defined once as PynamoDB models (the CDK app derives the tables from them)."""
