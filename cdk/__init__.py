"""The Film Studio CDK app: one module per stack, all derived from `filmstudio.topology`."""
