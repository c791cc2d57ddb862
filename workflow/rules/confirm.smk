# The confirmation stage (study.confirmation, docs/statistics.md): once a dataset's exploration
# is analysed, its plan (a checkpoint) names the configurations the primary questions chose and
# how many fresh seeds each is trained again on; the verdicts read those seeds' analyses only.
# The default target runs both stages; an interrupted run resumes where it stopped.
#   snakemake --cores 2 results/tables/verdicts.md                # both stages, and the answers
#   snakemake --cores 2 results/digits/confirmation_plan.json     # the plan alone

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


rule verdicts:
    input:
        confirmation_documents,
    output:
        csv=f"{RESULTS}/tables/verdicts.csv",
        csv_seal=f"{RESULTS}/tables/verdicts.csv.seal",
        md=f"{RESULTS}/tables/verdicts.md",
    log:
        f"{RESULTS}/logs/tables/verdicts.log",
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/verdicts.py"
