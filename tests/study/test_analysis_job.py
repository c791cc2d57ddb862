"""The analysis job's command line: its input files, named by what they are and checked against
what the analysis reads (the workflow runs it in tests/workflow/test_analysis_workflow.py)."""
import pytest

from study.analyses import ANALYSES
from study.analysis_job import named_inputs


def test_the_files_given_are_named_by_kind_in_any_order():
    given = ["out/digits/repr/pca8/model.npz", "data/digits.npz", "out/digits/repr/pca8/codes.npz"]
    assert named_inputs(ANALYSES["kmeans"], "pca8", given) == {
        "data": "data/digits.npz", "codes": "out/digits/repr/pca8/codes.npz",
        "model": "out/digits/repr/pca8/model.npz"}
    assert named_inputs(ANALYSES["denoising"], "noisy", ["data/digits.npz"]) == {"data": "data/digits.npz"}


@pytest.mark.parametrize("given, message", [
    (["data/digits.npz", "out/digits/repr/pca8/codes.npz"], "kmeans of pca8 reads data, codes, model"),
    (["data/digits.npz", "a/codes.npz", "b/codes.npz", "a/model.npz"], "two codes files given"),
])
def test_other_files_than_the_analysis_reads_are_refused(given, message):
    with pytest.raises(ValueError, match=message):
        named_inputs(ANALYSES["kmeans"], "pca8", given)
