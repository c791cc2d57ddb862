"""``summary.md`` and ``summary.html``: the verdicts, the exploration's sections, and where they were made."""
import html

from study.provenance import provenance, thread_pools_text
from study.summary.answers import ANSWERS_HEADING, answers_table, answers_text
from study.summary.exploratory import paired_tests
from study.summary.sections import sections
from study.tables import html_page, html_table, markdown_table


TITLE = "Summary of the study"
INTRO = ("The study's answers come first: the verdicts of its primary questions. Every section after "
         "them is exploration, on the grid's seeds: every choice (the best configuration, at each latent "
         "size or training noise) is made on the validation split; the numbers are then the test split's: "
         "the mean over training seeds [95% t interval] (`(n=1)`: one seed, no interval). Autoencoders "
         "are named `{family}_latent{size}_{activation}_noise{training noise}_seed{seed}`, a configuration "
         "without its `_seed`. An exploratory comparison shows its paired t-test's raw `p`, unadjusted "
         "for the many made: a lead to follow, not a claim.")


def provenance_text():
    """One line: the versions, commit, CPU and BLAS kernel the summary was made with
    (study.provenance)."""
    made = provenance()
    versions = ", ".join(f"{name} {version}" for name, version in made["versions"].items())
    return (f"Made with {versions}; commit {made['commit']}; CPU: {made['cpu']}; "
            f"BLAS and OpenMP: {thread_pools_text(made['thread_pools'])}.")


LIMITS_HEADING = "What this run cannot support"


def summary_markdown(tables, datasets, verdicts, classifiers=None, failed=None, limits=()):
    """``summary.md``: the verdicts of the primary questions (`verdicts`: the table
    ``results/tables/verdicts.csv``), then the exploration's tables, and where they were made;
    `limits`: the sentences of :func:`study.limits.limits`, if any, after the verdicts."""
    parts = [f"# {TITLE}\n", INTRO + "\n", f"## {ANSWERS_HEADING}\n", answers_text(verdicts) + "\n",
             markdown_table(answers_table(verdicts)) if len(verdicts) else "(none)\n"]
    if limits:
        parts += [f"## {LIMITS_HEADING}\n", "".join(f"- {sentence}\n" for sentence in limits)]
    tested = paired_tests(tables, datasets)
    for heading, text, table in sections(tables, datasets, tested, classifiers, failed):
        parts += [f"## {heading}\n", text + "\n", markdown_table(table) if len(table) else "(none)\n"]
    parts.append(provenance_text() + "\n")
    return "\n".join(parts)


def summary_html(tables, datasets, verdicts, classifiers=None, failed=None, limits=()):
    """``summary.html``: the same as :func:`summary_markdown`, as a web page (for the report)."""
    body = [f"<p>{_html_text(INTRO)}</p>", f"<h2>{ANSWERS_HEADING}</h2>",
            f"<p>{_html_text(answers_text(verdicts))}</p>", html_table(answers_table(verdicts))]
    if limits:
        items = "".join(f"<li>{_html_text(sentence)}</li>" for sentence in limits)
        body += [f"<h2>{LIMITS_HEADING}</h2>", f"<ul>{items}</ul>"]
    tested = paired_tests(tables, datasets)
    for heading, text, table in sections(tables, datasets, tested, classifiers, failed):
        body += [f"<h2>{html.escape(heading)}</h2>", f"<p>{_html_text(text)}</p>", html_table(table)]
    body.append(f"<p>{html.escape(provenance_text())}</p>")
    return html_page(TITLE, "\n".join(body))


def _html_text(text):
    """Escaped text with `code` spans."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
