"""``summary.md`` and ``summary.html``: the sections and the claims, with where they were made."""
import html

from study.provenance import provenance, thread_pools_text
from study.summary.claims import claims, paired_tests
from study.summary.sections import sections
from study.tables import html_page, html_table, markdown_table


TITLE = "Summary of the study"
INTRO = ("Every choice below (the best configuration, at each latent size or training noise) is made "
         "on the validation split; the numbers are then the test split's: the mean over training "
         "seeds [95% t interval] (`(n=1)`: one seed, no interval). Autoencoders are named "
         "`{family}_latent{size}_{activation}_noise{training noise}_seed{seed}`, a configuration "
         "without its `_seed`. Comparisons are paired t-tests across seeds; `p (Holm)` is a p-value "
         "adjusted over all the tests of its dataset, and decides the claims.")


CLAIMS_HEADING = "What the seeds support"
CLAIMS_TEXT = ("Paired comparisons across training seeds on the test split. The summary makes many tests "
               "of one dataset (every `p` above and every claim here), and some would reject at 5% by "
               "chance alone, so each p-value is adjusted by Holm's method over that dataset's tests: a "
               "claim holds when its 95% interval excludes zero and its adjusted p is under 0.05, which "
               "keeps the chance of any false claim about a dataset at most 5% however the tests depend "
               "on each other. Otherwise it says there is no clear difference (and how many seeds would "
               "settle it, if the seeds' mean and spread held), and with one seed that it cannot be tested.")


def provenance_text():
    """One line: the versions, commit, CPU and BLAS kernel the summary was made with
    (study.provenance)."""
    made = provenance()
    versions = ", ".join(f"{name} {version}" for name, version in made["versions"].items())
    return (f"Made with {versions}; commit {made['commit']}; CPU: {made['cpu']}; "
            f"BLAS and OpenMP: {thread_pools_text(made['thread_pools'])}.")


LIMITS_HEADING = "What this run cannot support"


def summary_markdown(tables, datasets, classifiers=None, failed=None, limits=()):
    """``summary.md``: the study's answers in three short tables, and where they were made;
    first, `limits`: the sentences of :func:`study.limits.limits`, if any."""
    parts = [f"# {TITLE}\n", INTRO + "\n"]
    if limits:
        parts += [f"## {LIMITS_HEADING}\n", "".join(f"- {sentence}\n" for sentence in limits)]
    tested = paired_tests(tables, datasets)
    for heading, text, table in sections(tables, datasets, tested, classifiers, failed):
        parts += [f"## {heading}\n", text + "\n", markdown_table(table) if len(table) else "(none)\n"]
    parts += [f"## {CLAIMS_HEADING}\n", CLAIMS_TEXT + "\n",
              "".join(f"- {sentence}\n" for sentence in claims(tested)) or "(none)\n"]
    parts.append(provenance_text() + "\n")
    return "\n".join(parts)


def summary_html(tables, datasets, classifiers=None, failed=None, limits=()):
    """``summary.html``: the same as :func:`summary_markdown`, as a web page (for the report)."""
    body = [f"<p>{_html_text(INTRO)}</p>"]
    if limits:
        items = "".join(f"<li>{_html_text(sentence)}</li>" for sentence in limits)
        body += [f"<h2>{LIMITS_HEADING}</h2>", f"<ul>{items}</ul>"]
    tested = paired_tests(tables, datasets)
    for heading, text, table in sections(tables, datasets, tested, classifiers, failed):
        body += [f"<h2>{html.escape(heading)}</h2>", f"<p>{_html_text(text)}</p>", html_table(table)]
    items = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in claims(tested))
    body += [f"<h2>{CLAIMS_HEADING}</h2>", f"<p>{_html_text(CLAIMS_TEXT)}</p>", f"<ul>{items}</ul>"]
    body.append(f"<p>{html.escape(provenance_text())}</p>")
    return html_page(TITLE, "\n".join(body))


def _html_text(text):
    """Escaped text with `code` spans."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
