"""Datasets: IDX parsing, MNIST download, dataset builders, seeded splits, the npz layout.

Every dataset file ``data/{dataset}.npz`` has the layout fixed in :mod:`study.data.dataset`.
"""
