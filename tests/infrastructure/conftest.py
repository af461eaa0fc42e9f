"""One synthesis of the whole app (with cdk-nag) shared by every infrastructure test.

Synth takes ~15 s, so the cloud assembly is built once per session; each module takes the
templates it needs from it (module-scoped `Template` objects over the same assembly).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


HERE = Path(__file__).resolve().parent
WEB_ORIGIN = "https://studio.example.com"


def pytest_collection_modifyitems(config, items):
    # `make test` runs xdist with --dist loadgroup: one group keeps every infrastructure test on one
    # worker, so the app is synthesized once rather than once per worker.
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.xdist_group("cdk-synth"))


@dataclass
class Synthesized:
    studio: object  # cdk.app.FilmStudio
    outdir: Path

    def template(self, stack) -> dict:
        return json.loads((self.outdir / stack.template_file).read_text())

    def messages(self, stack) -> list[dict]:
        manifest = json.loads((self.outdir / "manifest.json").read_text())
        out = []
        for path, entries in manifest["artifacts"][stack.artifact_id].get("metadata", {}).items():
            out += [dict(entry, path=path) for entry in entries]
        return out


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory) -> Synthesized:
    from aws_cdk import App

    from cdk.app import build, cdk_json_context
    from cdk.config import StudioConfig

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    outdir = tmp_path_factory.mktemp("cdk.out")
    # A production-shaped deploy: a signing key (CloudFront serves outputs to signed URLs only) and the
    # web app's origin for browser uploads (no CORS wildcard).
    key_file = outdir.parent / "edge-outputs-signing.pub.pem"
    key_file.write_text(rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode())
    app = App(outdir=str(outdir), context=cdk_json_context())
    # An explicit config: the developer's CDK_DEFAULT_ACCOUNT/REGION must not change what is tested.
    # ... with the studio tier's gpu stack (cdk config `studio`), so every template is linted and nagged.
    studio = build(app, StudioConfig(edge_signing_public_key_file=key_file,
                                     cors_allowed_origins=(WEB_ORIGIN,), studio=True))
    app.synth()
    return Synthesized(studio, outdir)


@pytest.fixture(scope="session")
def studio(synthesized):
    return synthesized.studio
