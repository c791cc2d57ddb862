"""How a dataset file is made and read: the IDX format (:mod:`idx_format`), downloads from
mirrors, seeded splits and the npz layout. Which datasets exist is :mod:`study.datasets`' registry,
whose entries use these.

Every dataset file ``data/{dataset}.npz`` has the layout fixed in :mod:`study.data.dataset`.
"""
