# The confirmation stage (study.confirmation, docs/statistics.md): once a dataset's exploration
# is analysed, its plan (a checkpoint) names the configurations the primary questions chose and
# how many fresh seeds each is trained again on; the verdicts read those seeds' analyses only.
# The default target runs both stages; an interrupted run resumes where it stopped.
#   snakemake --cores 2 results/tables/verdicts.md               # both stages, and the answers
#   snakemake --cores 2 results/digits/confirmation_plan.json        # the plan alone

from study.confirmation import confirmation_variants


@of_wildcards
def exploration_documents(wildcards):
    """The exploration's documents of the analyses the primary questions read."""
    if wildcards.dataset not in DATASETS:
        targets.dataset(wildcards.dataset, config, f"{RESULTS}/{wildcards.dataset}/confirmation_plan.json")
    return [path for analysis in QUESTION_ANALYSES for path in documents(analysis, wildcards.dataset)]


checkpoint confirm_plan:
    input:
        exploration_documents,
    output:
        f"{RESULTS}/{{dataset}}/confirmation_plan.json",
    log:
        f"{RESULTS}/logs/{{dataset}}/confirmation_plan.log",
    params:
        questions=config["questions"],
        confirm=config["confirm"],
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/confirm_plan.py"


def confirmation_documents(wildcards):
    """Each dataset's plan, then the documents of the confirmation runs it asks for (read once
    the plan exists: Snakemake re-evaluates this after the checkpoint's job)."""
    paths = []
    for dataset in DATASETS:
        plan_path = checkpoints.confirm_plan.get(dataset=dataset).output[0]
        with open(plan_path) as file:
            plan = json.load(file)
        paths.append(plan_path)
        paths += [f"{RESULTS}/{dataset}/{analysis}/{variant}.json" for variant, analysis in confirmation_variants(plan)
                  if variant not in FAILED[dataset]]
    return paths


rule verdicts:
    input:
        confirmation_documents,
    output:
        csv=f"{RESULTS}/tables/verdicts.csv",
        md=f"{RESULTS}/tables/verdicts.md",
    log:
        f"{RESULTS}/logs/tables/verdicts.log",
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/verdicts.py"
