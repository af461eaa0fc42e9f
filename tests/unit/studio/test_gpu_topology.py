"""The topology's GPU families agree with the container contract and the model directory."""

from filmstudio import topology
from filmstudio.studio.contract import FAMILY
from filmstudio.studio.modeldir import MODELS


def test_every_media_stage_has_exactly_one_gpu_family_and_it_is_the_containers_family():
    served = [stage for spec in topology.GPU_FAMILIES for stage in spec.stages]
    assert sorted(served) == sorted(topology.MEDIA_STAGES)
    assert {stage: topology.gpu_family(stage).family for stage in topology.MEDIA_STAGES} == FAMILY


def test_each_family_loads_the_model_folders_of_its_stages_and_scales_to_zero():
    names = {spec.name: spec.stage for spec in MODELS}
    for family in topology.GPU_FAMILIES:
        assert family.min_capacity == 0
        assert set(family.stages) <= set(names.values()), family.family  # each stage has its model rows
        folder = topology.REPO_ROOT / "gpu_containers" / family.family
        assert (folder / "requirements.txt").is_file() and (folder / "inference.py").is_file()
