"""Module totals in a run's progress and step totals: RF as a standard-profile module on sim://
(laxity-rf.json), so "rf.energy" comes from the module's telemetry, as in C++
(StepTotals::module_totals, RunProgress::module_totals)."""

from __future__ import annotations

from typing import List

import pytest

import penlink
from penlink import treatment

from conftest import REPO

RF_MODULE = REPO / "modules" / "rf.json"
LAXITY = REPO / "examples" / "recipes" / "laxity-rf.json"


def test_progress_and_step_totals_carry_module_totals() -> None:
    progress: List[treatment.RunProgress] = []
    with penlink.connect(f"sim://?rf=0&module={RF_MODULE}") as pen:
        result = pen.run_recipe(penlink.load_recipe(LAXITY), on_progress=progress.append,
                                timeout=60)
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason
    for step in result.steps:
        assert step.rf_energy_j > 0, step
        assert step.module_totals["rf.energy"] == pytest.approx(step.rf_energy_j)
    with_energy = [p for p in progress if p.module_totals.get("rf.energy", 0.0) > 0]
    assert with_energy, "no progress report carried rf.energy"
    last = with_energy[-1]
    assert last.module_totals["rf.energy"] == pytest.approx(last.rf_energy_j)
    # Run-wide totals only grow.
    energies = [p.module_totals.get("rf.energy", 0.0) for p in progress]
    assert energies == sorted(energies)
    with pytest.raises(TypeError):
        last.module_totals["rf.energy"] = 0.0  # type: ignore[index]


def test_a_run_without_modules_has_empty_module_totals() -> None:
    recipe = treatment.parse_recipe(
        '{"schema": "penlink.recipe/1", "name": "plain", "steps": [{"name": "c", '
        '"zone": "cheek", "depth_mm": 1.0, "speed_hz": 100, "duration_s": 0.3}]}')
    with penlink.connect("sim://?rf=0&led=0") as pen:
        result = pen.run_recipe(recipe, timeout=30)
    assert result.outcome is penlink.RunOutcome.COMPLETED, result.reason
    assert dict(result.steps[0].module_totals) == {}
