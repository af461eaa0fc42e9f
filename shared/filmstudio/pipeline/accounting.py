"""Credits at the pipeline's two ends: settle on publish, refund on failure or cancel.

Jobs started without a reservation (the local CLI) have nothing to settle.
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


def settle(job: Job) -> Credits:
    credits = job.credits.model_copy()
    if credits.reserved:
        credits.settled = credits.reserved
    return credits


def refund(job: Job) -> Credits:
    credits = job.credits.model_copy()
    if credits.reserved and not credits.settled:
        credits.refunded = credits.reserved
    return credits
