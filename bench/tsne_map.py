"""Seconds per t-SNE map and the map's quality: the study's setting against scikit-learn's default,
and the two levers the speed issue named.

Maps the codes of a seeded test subset (the study's ``subset_indices``) of a dataset file,
PCA codes of ``--latent`` components fitted on the train split, from a PCA initialisation,
four ways:

    sklearn default   scikit-learn's Barnes-Hut, 1,000 iterations, learning rate "auto" (n / 48)
    sklearn 500       scikit-learn's Barnes-Hut, 500 iterations, learning rate n / 12 (fewer
                      iterations at a larger rate: the study's setting before openTSNE)
    openTSNE FFT      openTSNE's FFT-interpolated gradient (built for large maps), 500 iterations
    study             openTSNE's Barnes-Hut, 500 iterations (study.analyses.tsne.tsne_map)

and prints, for each, the median seconds over ``--repeats`` runs (one thread), and the map's
trustworthiness against the images, k-NN and k-means accuracy (``study.analyses.tsne.map_scores``).

    python bench/tsne_map.py data/mnist.npz            # 3,000 of the 10,000 MNIST test images
    python bench/tsne_map.py data/digits.npz --size 359
"""
import argparse
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

from study.analyses.tsne import map_scores, subset_indices, tsne_map
from study.data.dataset import load_dataset
from study.pca import pca_representation


def sklearn_map(Z, seed, max_iter=1000, learning_rate="auto"):
    """scikit-learn's Barnes-Hut t-SNE from a PCA initialisation (its defaults: 1,000 iterations at n / 48)."""
    from sklearn.manifold import TSNE

    return TSNE(n_components=2, init="pca", max_iter=max_iter, learning_rate=learning_rate,
                random_state=seed).fit_transform(np.asarray(Z, dtype=np.float64)).astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="a dataset file, data/{dataset}.npz")
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--latent", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = load_dataset(args.data)
    indices = subset_indices(len(data["y_test"]), args.size, seed=0)
    _, codes = pca_representation(data, args.latent, seed=0)
    Z, X, y = codes["Z_test"][indices], data["X_test"][indices], data["y_test"][indices]
    settings = {"n_neighbors": 5, "knn_k": 5, "n_init": 10, "seed": 0, "resamples": 100, "confidence": 0.95}
    print(f"{len(y)} test images of {args.data}, PCA codes of {args.latent} components, 1 thread")
    with threadpool_limits(1):
        for name, make in (("sklearn default", lambda: sklearn_map(Z, 0)),
                           ("sklearn 500", lambda: sklearn_map(Z, 0, 500, max(len(Z) / 12, 50.0))),
                           ("openTSNE FFT", lambda: tsne_map(Z, 0, gradient="fft")), ("study", lambda: tsne_map(Z, 0))):
            seconds = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                Y = make()
                seconds.append(time.perf_counter() - start)
            scores = map_scores(X, Y, y, settings)
            print(f"{name:15s} {statistics.median(seconds):6.1f} s per map (runs: "
                  f"{', '.join(f'{s:.1f}' for s in seconds)}); trustworthiness {scores['trustworthiness']:.4f}, "
                  f"k-NN {scores['knn_accuracy']:.4f}, k-means {scores['kmeans_accuracy']:.4f}")


if __name__ == "__main__":
    main()
