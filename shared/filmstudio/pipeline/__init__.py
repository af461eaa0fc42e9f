"""Pipeline stage logic: what each Lambda handler calls (DESIGN §2)."""
