"""The report front page's example command: the study's own config files and --config, last."""
import shlex

from study.report import rebuild_command

TARGET = "results/quick/digits/kmeans/mlp_latent2_tanh_noise0_seed0.json"


def test_the_default_study_needs_no_config():
    assert rebuild_command(TARGET, cwd="/repo") == f"snakemake --cores 2 -f {TARGET}"


def test_a_config_file_inside_the_working_directory_is_given_relative_to_it_outside_as_it_is():
    command = rebuild_command(TARGET, ["/repo/workflow/configs/quick.yaml", "/elsewhere/more.yaml"], cwd="/repo")
    assert command == f"snakemake --cores 2 -f {TARGET} --configfile workflow/configs/quick.yaml /elsewhere/more.yaml"
    # A sibling directory whose name starts like the working directory's is outside it.
    assert rebuild_command(TARGET, ["/repo2/q.yaml"], cwd="/repo").endswith("--configfile /repo2/q.yaml")


def test_command_line_config_entries_come_last_and_are_quoted_as_one_word_each():
    entries = ["datasets=['digits', 'mnist']", "results='results/x'"]
    command = rebuild_command(TARGET, ["/repo/quick.yaml"], entries, cwd="/repo")
    words = shlex.split(command)
    assert words[-3:] == ["--config", *entries]
    assert words[words.index("--configfile") + 1] == "quick.yaml"
