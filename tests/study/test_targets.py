"""The names in a requested path, checked against the schema, the registries and the config."""
import re

import pytest

from repository import REPO
from study import targets
from study.config import study_results, this_study, validate_config
from study.config_schema import item_problems
from study.datasets import DATASETS
from study.targets import TargetError
from study.variants import AEVariant, ClassifierVariant, ae_variants

T = "results/digits/repr/x/"


@pytest.fixture(scope="module")
def config(schema, defaults):
    """A digits study whose grid leaves out much of what the schema allows."""
    return validate_config({"datasets": ["digits"], "grid": {"latent_dim": [2], "activation": ["tanh"],
                                                           "noise": [0.0], "seed": [0]}},
                           schema, defaults=defaults)


def test_item_problems_are_the_schema_reasons_of_one_list_entry(schema):
    assert item_problems(schema, "grid.noise", 0.5) == []
    assert item_problems(schema, "grid.noise", 2.0) == ["must be in [0, 1]"]
    assert item_problems(schema, "classifiers.dropout", 1.0) == ["must be in [0, 1)"]
    # Through the schema's $defs: the activations are an enum defined once.
    assert item_problems(schema, "grid.activation", "gelu") == ["must be one of tanh, relu, sigmoid"]
    assert item_problems(schema, "classifiers.hidden", [64, 0]) == ["must be >= 1"]


def test_a_variant_outside_the_grid_but_in_the_schema_is_allowed(config, schema):
    name = "mlp_latent16_relu_noise0.5_seed7"
    assert name not in [variant.name for variant in ae_variants(config)]
    assert targets.autoencoder(name, "digits", config, schema, T) == AEVariant.parse(name)
    assert targets.classifier("hidden32-16_sigmoid_dropout0.5_seed3", "digits", config, schema, T) == \
        ClassifierVariant((32, 16), "sigmoid", 0.5, 3)


@pytest.mark.parametrize("name, message", [
    ("mlp_latent8_tanh_noise2_seed0", f"noise 2 in {T}: must be in [0, 1] (config key grid.noise's schema)"),
    ("mlp_latent8_gelu_noise0_seed0",
     f"activation 'gelu' in {T}: must be one of tanh, relu, sigmoid (config key grid.activation's schema)"),
    ("gan_latent8_tanh_noise0_seed0", f"family 'gan' in {T}: must be one of "),
    ("mlp_latent8_tanh_noise0_seed1000000",
     f"seed 1000000 in {T}: must be in [0, 999999] (config key grid.seed's schema)"),
    ("mlp_latent65_tanh_noise0_seed0", f"latent_dim 65 in {T}: above the 64 features of digits"),
    ("mlp_latent8_tanh_noise0.50_seed0", f"{T}: 'mlp_latent8_tanh_noise0.50_seed0' is not in canonical form"),
    ("mlp_latent8_tanh_seed0", f"{T}: 'mlp_latent8_tanh_seed0' is not an autoencoder variant name"),
])
def test_an_autoencoder_outside_the_schema_is_refused_naming_the_part(config, schema, name, message):
    with pytest.raises(TargetError) as error:
        targets.autoencoder(name, "digits", config, schema, T)
    assert str(error.value).startswith(message)


def test_every_bad_part_is_one_line(config, schema):
    with pytest.raises(TargetError) as error:
        targets.autoencoder("mlp_latent8_gelu_noise3_seed0", "digits", config, schema, T)
    assert [line.split(" in ")[0] for line in str(error.value).splitlines()] == ["activation 'gelu'", "noise 3"]


@pytest.mark.parametrize("name, message", [
    ("hidden64_gelu_dropout0_seed0", f"activation 'gelu' in {T}: must be one of tanh, relu, sigmoid "
                                     "(config key classifiers.activation's schema)"),
    ("hidden64_relu_dropout1_seed0", f"dropout 1 in {T}: must be in [0, 1) (config key classifiers.dropout's schema)"),
])
def test_a_classifier_outside_the_schema_is_refused_naming_the_part(config, schema, name, message):
    with pytest.raises(TargetError, match=f"^{re.escape(message)}$"):
        targets.classifier(name, "digits", config, schema, T)


def test_datasets_must_be_registered_and_for_results_studied(config):
    targets.dataset("digits", config, T)
    targets.dataset("mnist", config, "data/mnist.npz", studied=False)  # data/ is shared
    with pytest.raises(TargetError, match=rf"^dataset 'cifar' in data/cifar.npz: must be one of {', '.join(DATASETS)} "):
        targets.dataset("cifar", config, "data/cifar.npz", studied=False)
    with pytest.raises(TargetError, match=r"^dataset 'mnist' in .*: not one of this study's datasets \(digits\); "
                                          r"add it to the config key datasets$"):
        targets.dataset("mnist", config, T)


def test_an_analysis_of_a_representation_is_checked_part_by_part(config, schema):
    target = "results/digits/kmeans/x.json"
    # Registered analyses, PCA of any allowed size, an analysis' own baseline: allowed.
    assert targets.representation("kmeans", "pca16", "digits", config, schema, target).name == "kmeans"
    assert targets.representation("dec", "mlp_latent4_relu_noise0_seed1", "digits", config, schema, target).name == "dec"
    targets.representation("denoising", "noisy", "digits", config, schema, target)
    refused = {
        ("tsnee", "pixels"): "analysis 'tsnee' in results/digits/kmeans/x.json: must be one of ",
        ("kmeans", "noisy"): "representation 'noisy' in results/digits/kmeans/x.json: kmeans is computed for "
                             "the autoencoder variants (like mlp_latent16_tanh_noise0.25_seed0) and pixels, pca{k} only",
        ("reconstruction", "pixels"): "representation 'pixels' in ",  # no model to reconstruct with
        ("kmeans", "pca"): "representation 'pca' in ",
        ("kmeans", "pca100"): "latent_dim 100 in results/digits/kmeans/x.json: above the 64 features of digits",
        ("kmeans", "mlp_latent8_tanh_noise2_seed0"): "noise 2 in results/digits/kmeans/x.json: must be in [0, 1]",
    }
    for (analysis, name), message in refused.items():
        with pytest.raises(TargetError) as error:
            targets.representation(analysis, name, "digits", config, schema, target)
        assert str(error.value).startswith(message), (analysis, name, str(error.value))
    with pytest.raises(TargetError, match="^dataset 'cifar' in"):
        targets.representation("kmeans", "pixels", "cifar", config, schema, target)


@pytest.fixture(scope="module")
def studies():
    return study_results(REPO)


def test_the_studies_are_the_configs_results_directories(studies):
    assert studies["results"] == "config.yaml"
    assert studies["results/quick"] == "workflow/configs/quick.yaml"


def test_a_target_of_another_study_names_the_config_that_makes_it(studies):
    with pytest.raises(TargetError) as error:
        targets.other_studies(["results/quick/digits/kmeans/pca8.json", "aggregate"], "results", studies)
    assert str(error.value) == (
        "results/quick/digits/kmeans/pca8.json: a file of the study whose results go to results/quick/, not "
        "of this one (results/): ask for it with --configfile workflow/configs/quick.yaml, written after the targets")
    with pytest.raises(TargetError, match="results/tables/kmeans.csv: .* without --configfile"):
        targets.other_studies(["results/tables/kmeans.csv"], "results/quick", studies)
    # This study's own files, data/, rule names and a results directory no study config names pass.
    targets.other_studies(["results/digits/kmeans/pca8.json", "data/digits.npz", "all"], "results", studies)
    targets.other_studies(["results/quick/tables/kmeans.csv"], "results/quick/", studies)
    targets.other_studies(["results/mine/tables/kmeans.csv"], "results/mine", studies)


def test_a_result_file_read_as_a_config_file_says_where_targets_go(studies, monkeypatch):
    monkeypatch.chdir(REPO)  # Snakemake's working directory, which the paths are relative to
    configfiles = ["workflow/configs/quick.yaml", "results/quick/digits/kmeans/pca8.json"]
    with pytest.raises(TargetError) as error:
        targets.results_as_configs(configfiles, studies)
    assert str(error.value).endswith("write the targets before it: snakemake --cores all "
                                     "results/quick/digits/kmeans/pca8.json --configfile workflow/configs/quick.yaml")
    targets.results_as_configs(["workflow/configs/quick.yaml", "my-study.yaml"], studies)
    with pytest.raises(TargetError, match="^results/x.json: "):  # Snakemake's configfiles are paths
        targets.results_as_configs([REPO / "results" / "x.json"], studies)


def test_a_study_is_named_by_its_config_file_among_the_repositorys(studies, monkeypatch):
    monkeypatch.chdir(REPO)
    assert this_study([], REPO, studies) == "config.yaml"
    assert this_study(["workflow/configs/quick.yaml"], REPO, studies) == "workflow/configs/quick.yaml"
    assert this_study([REPO / "workflow/configs/quick.yaml", "my.yaml"], REPO, studies) == \
        "workflow/configs/quick.yaml"
    assert this_study(["my.yaml"], REPO, studies) == "config.yaml"


def test_a_copy_of_a_study_config_is_that_study(studies, tmp_path):
    # A copy of quick.yaml, changed (as the workflow tests and a user write it): the quick study,
    # whose results directory it may write; with a directory of its own, the default study's.
    copy = tmp_path / "quick-longer.yaml"
    copy.write_text("results: results/quick\ntraining: {epochs: 200}\n")
    assert this_study([copy], REPO, studies) == "workflow/configs/quick.yaml"
    copy.write_text("results: results/mine\n")
    assert this_study([copy], REPO, studies) == "config.yaml"


@pytest.mark.parametrize("target, message", [
    ("../escaped_results/digits/kmeans/pca8.json", "outside the working directory"),
    ("results/quick/../digits/kmeans/pca8.json", "write it as results/digits/kmeans/pca8.json"),
    ("results/digits/../../../x.json", "outside the working directory"),
    ("./results/digits/kmeans/pca8.json", "write it as results/digits/kmeans/pca8.json"),
    ("/somewhere/else/x.json", "outside the working directory"),
])
def test_a_target_outside_the_working_directory_or_with_dot_parts_is_refused(target, message, monkeypatch):
    monkeypatch.chdir(REPO)
    with pytest.raises(TargetError, match=f"^{re.escape(target)}: {re.escape(message)}"):
        targets.outside_or_unnormal([target])


def test_targets_in_their_normal_form_pass(monkeypatch):
    monkeypatch.chdir(REPO)
    targets.outside_or_unnormal(["results/digits/kmeans/pca8.json", "all", "results/digits/repr/pixels/",
                                 str(REPO / "results" / "x.json")])


@pytest.mark.parametrize("name, message", [
    ("vae_latent8_tanh_beta-1_seed0", "beta '-1' in 'vae_latent8_tanh_beta-1_seed0': must be a number >= 0"),
    ("vae_latent8_tanh_betanan_seed0", "beta 'nan' in 'vae_latent8_tanh_betanan_seed0': must be a number"),
    ("vqvae_latent8_tanh_beta1_seed0", "family 'vqvae' in 'vqvae_latent8_tanh_beta1_seed0': must be one of"),
    ("mlp_latent8_tanh_noise0_seed0x", "seed '0x' in 'mlp_latent8_tanh_noise0_seed0x': must be a whole number"),
    ("vae_latent8_tanh_beta1" + "0" * 300 + "_seed0", "beta 10000000... in 'vae_latent8_tanh_beta1"),
    ("mlp_latent0_tanh_noise0_seed0", "latent_dim '0' in 'mlp_latent0_tanh_noise0_seed0': must be a whole number >= 1"),
    ("mlp_latent8_Tanh_noise0_seed0", "activation 'Tanh' in 'mlp_latent8_Tanh_noise0_seed0': must be a name in lower case"),
    ("vae_latent8_tanh_beta1e+300_seed0", "beta '1e+300' in 'vae_latent8_tanh_beta1e+300_seed0': would be written in a "
                                          "variant's directory name with 301 characters"),
])
def test_a_requested_path_no_rule_reads_names_the_part_and_its_key(config, schema, name, message):
    for target in (f"results/digits/repr/{name}/model.npz", f"results/digits/kmeans/{name}.json"):
        with pytest.raises(TargetError) as error:
            targets.requested([target], "results", config, schema)
        assert message in str(error.value)
        assert "config key grid." in str(error.value)
    # Paths of this study's own names, of the aggregates and of other directories pass.
    targets.requested(["results/digits/repr/pixels/codes.npz", "results/digits/repr/pca8/model.npz",
                       "results/digits/kmeans/pca8.json", "results/tables/kmeans.csv", "data/digits.npz",
                       "results/digits/repr/mlp_latent8_tanh_noise0_seed0/model.npz", "all"],
                      "results", config, schema)


def test_a_k_sparse_target_its_family_cannot_build_is_refused(schema, defaults):
    config = validate_config({"datasets": ["digits"], "grid": {"family": ["sparse"], "sparsity": [1]},
                              "families": {"sparse": {"penalty": "k_sparse"}}}, schema, defaults=defaults)
    with pytest.raises(TargetError, match=r"grid.sparsity = 0.5: must be a whole number of units below the latent size 8"):
        targets.autoencoder("sparse_latent8_tanh_sparsity0.5_seed0", "digits", config, schema, T)
    targets.autoencoder("sparse_latent8_tanh_sparsity3_seed0", "digits", config, schema, T)


@pytest.mark.parametrize("name, message", [
    ("hidden256_relu_dropoutX_seed0", "dropout 'X' in 'hidden256_relu_dropoutX_seed0': must be a number in [0, 1) "
                                      "written like 0.2 (config key classifiers.dropout)"),
    ("hidden-5_relu_dropout0_seed0", "hidden '-5' in 'hidden-5_relu_dropout0_seed0': must be sizes >= 1 joined by '-'"),
    ("hidden256-0_relu_dropout0_seed0", "hidden '256-0' in 'hidden256-0_relu_dropout0_seed0': must be sizes >= 1"),
    ("hidden256_relu_dropout0_seedfoo", "seed 'foo' in 'hidden256_relu_dropout0_seedfoo': must be a whole number "
                                        "(config key classifiers.seed)"),
    ("hidden256_Relu_dropout0_seed0", "activation 'Relu' in 'hidden256_Relu_dropout0_seed0': must be a name in lower "
                                      "case, like relu (config key classifiers.activation)"),
    ("hidden" + "9" * 30 + "_relu_dropout0_seed0", "hidden 99999999... in 'hidden999"),
    ("hidden256_relu_dropout1e+300_seed0", "dropout '1e+300' in 'hidden256_relu_dropout1e+300_seed0': would be written "
                                           "in a variant's directory name with 301 characters"),
    # A name of the right shape whose network would not fit in memory.
    ("hidden1000000000_relu_dropout0_seed0", "hidden 1000000000 in results/digits/clf/hidden1000000000_relu_dropout0"
                                             "_seed0/: classifiers.hidden = [1000000000]: would need "),
])
def test_a_classifier_target_names_its_bad_part_and_config_key(config, schema, name, message):
    with pytest.raises(TargetError) as error:
        targets.requested([f"results/digits/clf/{name}/model.npz"], "results", config, schema)
    assert message in str(error.value)
    assert "classifiers." in str(error.value)


@pytest.mark.parametrize("name", ["pca0", "pca-1", "pcaX", "pca"])
def test_a_pca_target_of_no_latent_size_names_the_key(config, schema, name):
    with pytest.raises(TargetError, match=rf"^latent_dim '{name[3:]}' of '{name}' in results/digits/repr/{name}/: must be "
                                          r"a whole number >= 1, like pca8 \(config key grid.latent_dim\)$"):
        targets.requested([f"results/digits/repr/{name}/codes.npz"], "results", config, schema)
