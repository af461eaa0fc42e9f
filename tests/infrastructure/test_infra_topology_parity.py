"""The synthesized app and the topology agree: same functions, same handlers.

The template side is `cdk.introspect.functions_in_template`; the local cloud's side of the same
comparison can reuse it (tests/integration compares the local cloud with the topology).
"""

from __future__ import annotations

from filmstudio import topology

from cdk.introspect import functions_in_template


def test_template_functions_and_handlers_are_the_topology(synthesized):
    template = synthesized.template(synthesized.studio.pipeline)
    assert functions_in_template(template) == {spec.name: spec.handler for spec in topology.FUNCTIONS}
