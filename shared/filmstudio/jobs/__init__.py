"""Job records: creation, status transitions with optimistic locking, stage spans and progress."""
