"""The aggregate tables are sealed when written (study.seals), and every reader of them checks
the seal first: an analysis' table read by the tidy table's job, the tidy table read by the
summary, the figures and a notebook (study.results.load), the classifiers' and verdicts tables
read by the summary. A file edited, cut short, copied over, or without its seal stops the job,
naming the file and what differs."""
import json
import shutil

import pytest

from study.analyses import ANALYSES
from study.confirmation import VERDICT_COLUMNS, verdicts_table
from study.results import load
from study.seals import read_checked, seal_path, write_sealed
from study.tables import CLASSIFIER_COLUMNS, COLUMNS, classifiers_table, metrics_table, read_table, write_csv


def _study(directory, tables, shift=0.0):
    """A study's tables/ as the workflow writes them (every float shifted by `shift`: another
    study's numbers)."""
    directory.mkdir(parents=True)
    tables = {name: table.assign(**{column: table[column] + shift for column in table.select_dtypes(float)})
              for name, table in tables.items()}
    for name, table in tables.items():
        write_csv(table, directory / f"{name}.csv")
    write_csv(metrics_table(tables, ANALYSES), directory / "metrics.csv")
    metrics = {"test_accuracy": 0.9 + shift / 10, "val_accuracy": 0.8, "epochs_trained": 12, "seconds": 3.5}
    write_csv(classifiers_table([("digits", f"hidden256_relu_dropout0_seed{seed}", metrics) for seed in range(3)]),
              directory / "classifiers.csv")
    write_csv(verdicts_table([{"dataset": "digits", "latent": latent, "metric": "kmeans_accuracy",
                               "A": f"mlp_latent{latent}", "B": f"pca{latent}", "verdict": "undecided",
                               "A - B": 0.1 + shift, "low": 0.05, "high": 0.15, "margin": 0.02, "seeds": 5,
                               "stage": "confirmation", "seeds to decide": None, "planned": 5}
                              for latent in (2, 8, 16)]), directory / "verdicts.csv")
    return directory


@pytest.fixture
def studies(tmp_path, fake_tables):
    """This study's tables/ and another study's."""
    return _study(tmp_path / "results" / "tables", fake_tables), _study(tmp_path / "other" / "tables", fake_tables, 1.0)


#: Each job's reading of a table: (file, how it is read).
READERS = {
    "metrics_table reads an analysis' table": (
        "kmeans.csv", lambda path: read_table(path, [*COLUMNS, "split", *ANALYSES["kmeans"].keys,
                                                     *(m.column for m in ANALYSES["kmeans"].metrics.values())])),
    "the summary and the figures read the tidy table": ("metrics.csv", lambda path: load(path.parents[1])),
    "the summary reads the classifiers' table": ("classifiers.csv", lambda path: read_table(path, CLASSIFIER_COLUMNS)),
    "the summary reads the verdicts": ("verdicts.csv", lambda path: read_table(path, VERDICT_COLUMNS)),
}


def _edit_a_value(path, other):
    lines = path.read_text().splitlines(keepends=True)
    line = lines[1].rstrip("\n")
    digit = max(i for i, c in enumerate(line) if c.isdigit())
    lines[1] = line[:digit] + str((int(line[digit]) + 1) % 10) + line[digit + 1:] + "\n"
    path.write_text("".join(lines))


def _cut_at_a_line_boundary(path, other):
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:max(2, len(lines) // 2)]))


def _copy_another_study_s(path, other):
    shutil.copyfile(other / path.name, path)


def _copy_another_table_with_its_seal(path, other):
    source = path.with_name("classifiers.csv" if path.name != "classifiers.csv" else "verdicts.csv")
    shutil.copyfile(source, path)
    shutil.copyfile(seal_path(source), seal_path(path))


def _delete_the_seal(path, other):
    seal_path(path).unlink()


DAMAGES = {
    _edit_a_value: "edited by hand",
    _cut_at_a_line_boundary: r"lines, not the \d+ written: cut short",
    _copy_another_study_s: "another file copied over it",
    _copy_another_table_with_its_seal: "its seal .* is that of '(classifiers|verdicts).csv'",
    _delete_the_seal: "no seal beside it .* written before files were sealed",
}


@pytest.mark.parametrize("reader", READERS)
def test_every_reader_reads_the_table_as_written(studies, reader):
    name, read = READERS[reader]
    assert len(read(studies[0] / name)) > 1
    assert len(read(studies[1] / name)) > 1  # (and the other study's table with its own seal)


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda damage: damage.__name__.strip("_"))
@pytest.mark.parametrize("reader", READERS)
def test_every_reader_refuses_a_damaged_table_naming_it(studies, reader, damage):
    name, read = READERS[reader]
    path = studies[0] / name
    damage(path, studies[1])
    with pytest.raises(ValueError, match=f"{path}: .*{DAMAGES[damage]}.*re-run the job that makes it"):
        read(path)


def test_a_seal_records_the_bytes_written_and_a_damaged_seal_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    write_sealed(path, "a,b\n1,2\n")
    assert json.loads(seal_path(path).read_text())["lines"] == 2
    assert read_checked(path) == b"a,b\n1,2\n"
    seal_path(path).write_text('{"file": "t.csv", "sha256"')
    with pytest.raises(ValueError, match=r"t.csv.seal: not a readable seal"):
        read_checked(path)


def test_no_workflow_script_reads_a_table_but_through_its_seal():
    from pathlib import Path

    scripts = Path(__file__).parents[2] / "workflow" / "scripts"
    assert [path.name for path in scripts.glob("*.py") if "read_csv" in path.read_text()] == []
