"""Credits at the pipeline's two ends: estimate at intake, settle on publish, refund on failure or cancel.

The movements themselves (ledger entry and balance change in one transaction, at most
once per job) are `filmstudio.credits.CreditStore`'s; this module decides what a job
owes. Jobs started without a reservation (the local CLI, the S3 path) have nothing to
settle or refund and touch no account.
"""

from __future__ import annotations

import math

from filmstudio.models.job import Credits, Job
from filmstudio.models.plan import Plan

# Credits per second of film, by tier (GPU time is what the studio tier pays for).
TIER_RATES = {"preview": 0.1, "studio": 2.0}
TIERS_AVAILABLE = ("preview",)


def estimate(plan: Plan, tier: str) -> int:
    """scenes x seconds x tier rate: the sum over scenes of their seconds at the tier's rate."""
    seconds = sum(scene.duration for scene in plan.scenes)
    return max(1, math.ceil(seconds * TIER_RATES[tier]))


def _closed(job: Job, credits: Credits, how: str | None) -> Credits:
    if how == "settle":
        credits.settled = job.credits.reserved
    elif how in ("refund", "release"):
        credits.refunded = job.credits.reserved
    return credits


def settle(job: Job) -> Credits:
    """Spend the job's reservation. Idempotent: a retried publish finds it settled and changes nothing.
    A job cancelled meanwhile comes back refunded instead, never both."""
    credits = job.credits.model_copy()
    if not credits.reserved:
        return credits
    from filmstudio.credits import CreditStore

    store = CreditStore()
    store.settle(job.job_id, job.user_id, credits.reserved)
    return _closed(job, credits, store.closed_as(job.job_id, job.user_id))


def refund(job: Job) -> Credits:
    """Return the job's reservation to the user's balance and record it on the job. Idempotent."""
    credits = job.credits.model_copy()
    if not credits.reserved or credits.settled:
        return credits
    from filmstudio.credits import CreditStore
    from filmstudio.jobs.store import JobStore

    store = CreditStore()
    store.refund(job.job_id, job.user_id, credits.reserved)
    credits = _closed(job, credits, store.closed_as(job.job_id, job.user_id))
    if credits != job.credits:
        JobStore().set_fields(job.job_id, credits=credits.model_dump())
    return credits
