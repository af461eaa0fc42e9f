"""One analysis (and one plan) per script: computed once, stored under its content key, reused.

Intake needs the plan before it writes anything (limits, the estimate), and the Analyze and Plan
states need the same analysis and plan. Both keys are content addresses (the text, the language
hint, the code version), so whoever computes them first stores them and every later reader finds
them: the Analyze state then records a reuse instead of analysing the script again.

Where the analysis runs: language detection needs lingua (~300 MB, larger than a zip function
may be), so the zip functions that run intake (api, ingest) ask the analyze function, which ships
in the media image, when `FILMSTUDIO_ANALYZE_FUNCTION` names it (the stacks and the local cloud
set it). Without it (a plain `validate_script` on a developer's machine) the analysis runs here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from filmstudio.errors import BadInputError, StageFailedError
from filmstudio.models.plan import Plan, ScriptAnalysis
from filmstudio.settings import Settings, get_settings
from filmstudio.storage.artifacts import ArtifactStore, artifact_key

_MEMO_SIZE = 4
# The code an analysis or a plan depends on: a change to any of it must not reuse a stored one
# (the vocabulary and the plan model are read by both).
ANALYSIS_CODE = ("filmstudio.analysis", "filmstudio.vocabulary", "filmstudio.models.plan")
PLAN_CODE = ("filmstudio.planning", "filmstudio.vocabulary", "filmstudio.models.plan")
_memo: "OrderedDict[str, ScriptAnalysis]" = OrderedDict()
_memo_lock = threading.Lock()


def analysis_key(text: str, language: str | None) -> str:
    from filmstudio.pipeline.versions import code_version

    return artifact_key("analyze", code_version(*ANALYSIS_CODE), {"text": text, "language": language},
                        ".json")


def plan_key(analysis_key_: str) -> str:
    from filmstudio.pipeline.versions import code_version

    return artifact_key("plan", code_version(*PLAN_CODE), {"analysis": analysis_key_}, ".json")


def analyze_here(text: str, language: str | None, key: str | None = None) -> ScriptAnalysis:
    """The analysis, computed in this process (at most once per script while it stays in the memo).

    The memo spares a process that validates a script and then starts its job (the CLI) a second
    run; the stored copy is what the Analyze state finds."""
    from filmstudio.analysis import analyze

    key = key or analysis_key(text, language)
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    analysis = analyze(text, language=language)
    with _memo_lock:
        _memo[key] = analysis
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    return analysis


def store(text: str, language: str | None, artifacts: ArtifactStore) -> tuple[str, str, Plan]:
    """Analyse and plan the script unless both are stored already: (analysis key, plan key, plan).

    Raises BadInputError from the analysis (limits, empty script, unknown language)."""
    from filmstudio.planning import make_plan

    a_key = analysis_key(text, language)
    p_key = plan_key(a_key)
    if artifacts.exists(a_key) and artifacts.exists(p_key):
        return a_key, p_key, Plan.model_validate(artifacts.get_json(p_key))
    analysis = (ScriptAnalysis.model_validate(artifacts.get_json(a_key)) if artifacts.exists(a_key)
                else analyze_here(text, language, a_key))
    plan = make_plan(analysis)
    artifacts.put_json(a_key, analysis)
    artifacts.put_json(p_key, plan)
    return a_key, p_key, plan


def analyze_remotely(text: str, language: str | None, settings: Settings) -> Plan:
    """Ask the analyze function to analyse, plan and store the script; read back the plan."""
    from filmstudio.lambdas import Lambdas

    answer, failed = Lambdas(settings).invoke(settings.analyze_function,
                                              {"preflight": {"text": text, "language": language}})
    if failed or not isinstance(answer, dict):
        raise StageFailedError("analyze", f"the analyze function failed: {str(answer)[:500]}")
    if "error" in answer:
        error = answer["error"]
        raise BadInputError(error["message"], code=error["code"], http_status=error.get("http_status", 400),
                            details=error.get("details"))
    return Plan.model_validate(ArtifactStore(settings).get_json(answer["plan_key"]))


def preflight(event: dict, artifacts: ArtifactStore | None = None) -> dict:
    """The analyze function's answer to intake: the stored keys, or the refusal intake shows the user."""
    try:
        a_key, p_key, _plan = store(event["text"], event.get("language"), artifacts or ArtifactStore())
    except BadInputError as exc:
        return {"error": {"code": exc.code, "message": exc.message, "http_status": exc.http_status,
                          "details": exc.details}}
    return {"analysis_key": a_key, "plan_key": p_key}


def plan_for_intake(text: str, language: str | None, settings: Settings | None = None) -> Plan:
    settings = settings or get_settings()
    if settings.analyze_function:
        return analyze_remotely(text, language, settings)
    from filmstudio.planning import make_plan

    return make_plan(analyze_here(text, language))
