"""Credits at the pipeline's two ends: estimate at intake, settle on publish, refund on failure or cancel.

`finish` is how a job ends: its move to SUCCEEDED, FAILED or CANCELLED and the closing of its
reservation (settle or refund) are one DynamoDB transaction, conditional on the job still
being open. A cancel and a publish racing each other therefore cannot both win: whichever
transaction commits first decides, and the other finds the job finished and changes nothing.

The movements themselves (ledger entry and balance change in one transaction, at most
once per job) are `filmstudio.credits.CreditStore`'s; this module decides what a job
owes. Jobs started without a reservation (the local CLI, the S3 path) have nothing to
settle or refund and touch no account.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from filmstudio.errors import IllegalTransitionError
from filmstudio.models.job import Credits, Job, JobStatus
from filmstudio.models.plan import Plan

# Credits per second of film, by tier. The studio tier is priced on GPU time instead (below);
# its rate here is what a second of film costs at the GPU-seconds the estimate expects.
TIER_RATES = {"preview": 0.1, "studio": 2.0}
TIERS_AVAILABLE = ("preview",)

# The studio tier pays for device time: credits per GPU-second the containers report. A
# g5.xlarge is about $1.006/hour on demand (docs/deploy.md), 0.028 cents a second; a credit
# is a cent, so this rate is the GPU with the idle scale-up time and the margin on top.
CREDITS_PER_GPU_SECOND = 0.05
GPU_DOLLARS_PER_SECOND = 1.006 / 3600
# Expected GPU-seconds at the production models on a g5.xlarge (make bench-gpu measures them):
# per key frame, per second of clip, per second of speech, per second of score.
GPU_SECONDS_PER_UNIT = {"storyboard": 6.0, "motion": 20.0, "speech": 1.5, "music": 1.0}
# How each terminal status closes the job's reservation.
CLOSE_FOR = {JobStatus.SUCCEEDED: "settle", JobStatus.FAILED: "refund", JobStatus.CANCELLED: "refund"}

log = logging.getLogger(__name__)


# The reservation covers the planned seconds and this much more: a line's measured speech can
# run a little past its plan (compose then holds the shot), and settlement charges what rendered.
RESERVE_MARGIN = 0.05


def cost(seconds: float, tier: str) -> int:
    """Credits for `seconds` of film in `tier`: the one price both the estimate and the charge use."""
    return max(1, math.ceil(round(seconds * TIER_RATES[tier], 6)))


def gpu_cost(gpu_seconds: float) -> int:
    """Credits for `gpu_seconds` of device time: the one price the studio estimate and charge use."""
    return max(1, math.ceil(round(gpu_seconds * CREDITS_PER_GPU_SECOND, 6)))


def estimated_gpu_seconds(plan: Plan) -> dict[str, float]:
    """Per GPU stage, the device seconds the plan should take: key frames per shot, clips and
    scores per second of media, speech per second of dialogue."""
    shots = [shot for scene in plan.scenes for shot in scene.shots]
    lines = [line for scene in plan.scenes for line in scene.lines]
    per = GPU_SECONDS_PER_UNIT
    return {"storyboard": round(per["storyboard"] * len(shots), 3),
            "motion": round(per["motion"] * sum(shot.duration for shot in shots), 3),
            "speech": round(per["speech"] * sum(float(line.est_duration or 0) for line in lines), 3),
            "music": round(per["music"] * sum(scene.duration for scene in plan.scenes), 3)}


def estimate(plan: Plan, tier: str) -> int:
    """Preview: the planned seconds (the sum over scenes), with the margin, at the tier's rate.
    Studio: the estimated GPU-seconds per stage, with the margin, at the GPU-second rate."""
    if tier == "studio":
        return gpu_cost(sum(estimated_gpu_seconds(plan).values()) * (1 + RESERVE_MARGIN))
    seconds = sum(scene.duration for scene in plan.scenes)
    return cost(seconds * (1 + RESERVE_MARGIN), tier)


def charge(job: Job, rendered_seconds: float) -> int:
    """What a finished film costs, never more than was reserved (the estimate is the most a user
    can be charged; the rest is returned): preview, its rendered seconds at the tier's rate;
    studio, the GPU-seconds its containers reported."""
    if job.tier == "studio":
        return min(job.credits.reserved, gpu_cost(sum(job.gpu_seconds.values())))
    return min(job.credits.reserved, cost(rendered_seconds, job.tier))


def job_cost(job: Job) -> dict[str, Any]:
    """What job.json and the API show: GPU-seconds per stage, their total and dollar cost at the
    on-demand price, and the credits charged (the estimate until the job settles)."""
    total = round(sum(job.gpu_seconds.values()), 4)
    return {"credits": job.credits.settled if job.credits.settled or job.terminal else job.credits.estimate,
            "gpu_seconds": {stage: round(s, 4) for stage, s in sorted(job.gpu_seconds.items())},
            "gpu_seconds_total": total, "gpu_dollars": round(total * GPU_DOLLARS_PER_SECOND, 6)}


def _closed(job: Job, credits: Credits, how: str | None, charged: int | None = None) -> Credits:
    if how == "settle":
        credits.settled = job.credits.reserved if charged is None else charged
        credits.refunded = job.credits.reserved - credits.settled
    elif how in ("refund", "release"):
        credits.refunded = job.credits.reserved
    return credits


def _from_ledger(job: Job) -> Credits:
    """The job's credits as its ledger entry closed them."""
    from filmstudio.credits import CreditStore, close_id

    entry = CreditStore().entry(job.user_id, close_id(job.job_id))
    if entry is None:
        return job.credits.model_copy()
    return _closed(job, job.credits.model_copy(), entry.kind,
                   job.credits.reserved - entry.amount if entry.kind == "settle" else None)


def finish(job: Job, to: JobStatus, *, charged: int | None = None, **fields: Any) -> Job:
    """End the job as `to` and close its reservation, in one transaction: SUCCEEDED settles
    `charged` credits (all of the reservation if None) and returns the rest; FAILED and
    CANCELLED refund it all. Raises IllegalTransitionError if the job had already ended (the
    other side of a race won)."""
    from pynamodb.exceptions import TransactWriteError

    from filmstudio.credits import CreditStore
    from filmstudio.db.accounts import transact_write
    from filmstudio.jobs.store import JobStore

    jobs = JobStore()
    kind = CLOSE_FOR[to]
    reserved = job.credits.reserved
    if kind != "settle" or charged is None:
        charged = reserved if kind == "settle" else 0
    charged = max(0, min(reserved, charged))
    credits = _closed(job, job.credits.model_copy(), kind, charged) if reserved else job.credits.model_copy()

    def commit(credits: Credits, close: bool) -> None:
        with transact_write() as tx:
            jobs.finish_in(tx, job.job_id, to, credits=credits.model_dump(), **fields)
            if close:
                CreditStore().close_in(tx, job.job_id, job.user_id, kind, reserved, charged=charged)

    # Which condition failed is learnt by reading again, not from the cancellation reasons'
    # positions: PynamoDB sends a transaction's items grouped by kind, not in the order added.
    def still_open() -> bool:
        return not jobs.get(job.job_id).terminal

    def already_ended() -> IllegalTransitionError:
        current = jobs.get(job.job_id)
        return IllegalTransitionError(f"job {job.job_id} is already {current.status.value}; "
                                      f"it cannot become {to.value}")

    close = bool(reserved)
    for attempt in range(5):
        try:
            commit(credits, close=close)
            break
        except TransactWriteError as exc:
            if getattr(exc, "cause_response_code", None) != "TransactionCanceledException":
                raise  # not a condition or a conflict: a malformed request, which retrying will not mend
            if not still_open():
                raise already_ended() from None
            how = CreditStore().closed_as(job.job_id, job.user_id) if close else None
            if how is not None:
                # Open, but its reservation is closed already (the books disagree with the job):
                # end the job anyway, recording what the ledger says happened to the credits.
                log.error("credits: job %s ends %s but its reservation was already closed (%s)",
                          job.job_id, to.value, how)
                credits, close = _from_ledger(job), False
            elif attempt == 4:
                raise
            else:
                time.sleep(0.05 * (attempt + 1))  # a transaction conflict with a concurrent writer
    return jobs.get(job.job_id)
