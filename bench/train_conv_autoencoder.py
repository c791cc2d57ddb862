"""Training speed of the study's default convolutional autoencoder, against the GEMM-bound limit of its own GEMMs.

Builds the conv family's autoencoder (study/families/conv.py) with config.yaml's
``families.conv`` settings for MNIST, at latent size 32 with ReLU, and trains it on seeded
random 28x28 images, flat as the study gives them (MNIST-sized), through ``diy.fit``
(shuffling and batch copies included), with Adam, batch 128, float32. With the default
channels [32, 64]::

    encoder  Reshape(28, 28, 1)  Conv2D(1, 32, 3, s2, p1) ReLU  Conv2D(32, 64, 3, s2, p1) ReLU
             Flatten  Linear(3136, 32)
    decoder  Linear(32, 3136) ReLU  Reshape(7, 7, 64)  ConvTranspose2D(64, 32, 3, s2, p1, op1) ReLU
             ConvTranspose2D(32, 1, 3, s2, p1, op1)  Flatten -> logits, BCEWithLogitsLoss (sigmoid + BCE)

and prints samples/s. Every convolution is one GEMM per pass (im2col), so a training
step is a list of GEMMs plus the rest (im2col/col2im copies, activations, loss, Adam).
The script lists the GEMMs a step runs (forward; dL/dW; dL/dX except for the first layer
with parameters, whose input delta diy's Sequential never computes during training), times
each one alone on float32 operands of the same shapes and layouts (best of repeated runs),
and derives::

    FLOPs per sample = sum of 2 x MACs of those GEMMs / batch
    limit (samples/s) = batch / sum of the GEMMs' times    (only the GEMMs, at their own rates)
    fraction          = measured samples/s / limit

for each BLAS thread count asked for. Thin GEMMs (an inner or outer size of 9, in the
one-channel layers) run below a square matmul's rate, so the limit uses their own measured
rates; the rate of a float32 1024x1024 matmul and the fraction of the limit it would give
are printed for scale. The GEMMs are timed before and after training and the faster is
kept, so a busy machine lowers the fraction rather than flattering it.

    python bench/train_conv_autoencoder.py [--seconds 5] [--threads 1 2] [--profile]
"""
import argparse
import cProfile
import math
import pstats
import time
from pathlib import Path

import numpy as np
import yaml
from threadpoolctl import threadpool_limits

import diy
from study.families.conv import build as build_conv
from study.settings import dataset_settings
from study.variants import AEVariant
from train_autoencoder import fit_rate

BATCH, SIDE, LATENT = 128, 28, 32
CONFIG = Path(__file__).resolve().parents[1] / "config.yaml"


def settings():
    """config.yaml's ``families.conv`` for MNIST."""
    with open(CONFIG) as f:
        return dataset_settings(yaml.safe_load(f)["families"]["conv"], "mnist")


def build(rng):
    """The conv family's autoencoder of MNIST at latent size 32 with ReLU."""
    return build_conv((SIDE, SIDE), AEVariant("conv", LATENT, "relu", 0.0, 0), settings(), rng, np.float32)


def gemms(model, batch):
    """The GEMMs of one training step, as ``(m, k, n, a_transposed, b_transposed)`` for
    ``(m, k) @ (k, n)``: the layouts diy passes to BLAS (a transposed operand is a view)."""
    shape, found, learning_before = (batch, SIDE * SIDE), [], False
    for part in (model.encoder, model.decoder):
        for layer in part:
            out = layer.forward(np.zeros(shape, dtype=np.float32)).shape
            if isinstance(layer, diy.Linear):
                m, k, n = batch, layer.d_in, layer.d_out
                steps = [(m, k, n, False, False), (k, m, n, True, False), (m, n, k, False, True)]
            elif isinstance(layer, diy.Conv2D):  # cols (M, K) @ W (K, N)
                m, k, n = math.prod(out[:3]), layer.kernel[0] * layer.kernel[1] * layer.chan_in, layer.chan_out
                steps = [(m, k, n, False, False), (k, m, n, True, False), (m, n, k, False, True)]
            elif isinstance(layer, diy.ConvTranspose2D):  # X (M, C_in) @ W.T (C_in, K)
                m, k, n = math.prod(shape[:3]), layer.chan_in, layer.kernel[0] * layer.kernel[1] * layer.chan_out
                steps = [(m, k, n, False, True), (n, m, k, True, False), (m, n, k, False, False)]
            else:
                steps = []
            if not learning_before:  # Sequential asks no dL/dX with no parameter before it
                steps = steps[:2]
            learning_before = learning_before or next(layer.parameters(), None) is not None
            found += steps
            shape = out
    return found


def time_gemms(shapes, seconds=1.0):
    """Sum over ``shapes`` of the best time of each float32 GEMM, in seconds."""
    rng, total = np.random.default_rng(0), 0.0
    per_gemm = seconds / len(shapes)
    for m, k, n, a_t, b_t in shapes:
        a = rng.random((k, m) if a_t else (m, k), dtype=np.float32)
        b = rng.random((n, k) if b_t else (k, n), dtype=np.float32)
        a, b = (a.T if a_t else a), (b.T if b_t else b)
        a @ b
        best, deadline = math.inf, time.perf_counter() + per_gemm
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            a @ b
            best = min(best, time.perf_counter() - start)
        total += best
    return total


def matmul_gflops(n=1024, seconds=1.0):
    """Best float32 (n, n) @ (n, n) rate over repeated runs, in GFLOP/s."""
    return 2 * n**3 / time_gemms([(n, n, n, False, False)], seconds) / 1e9


def train_rate(seconds):
    """Samples/s of ``diy.fit`` on the model (bench/train_autoencoder.py's measure)."""
    rng = np.random.default_rng(0)
    model = build(rng)
    X = rng.random((BATCH * 40, SIDE * SIDE), dtype=np.float32)
    return fit_rate(model, diy.BCEWithLogitsLoss(), X, seconds, BATCH)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="training time measured per thread count")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="BLAS thread counts")
    parser.add_argument("--profile", action="store_true",
                        help="also print where the time goes (with the first thread count)")
    args = parser.parse_args()

    shapes = gemms(build(0), BATCH)
    flops = sum(2 * m * k * n for m, k, n, _, _ in shapes) / BATCH
    conv = settings()
    down, up = "-".join(map(str, conv["channels"])), "-".join(map(str, conv["channels"][::-1]))
    print(f"model        conv autoencoder 28x28x1 -{down}- {LATENT} -{up}- 28x28x1 (kernel {conv['kernel']}, "
          f"stride {conv['stride']}), ReLU, logits, BCEWithLogitsLoss, Adam, batch {BATCH}, float32")
    print(f"GEMMs/step   {len(shapes)}  (m x k x n: {', '.join(f'{m}x{k}x{n}' for m, k, n, _, _ in shapes)})")
    print(f"FLOPs/sample {flops / 1e6:.3f} M  (2 x MACs of those GEMMs)")

    for threads in args.threads:
        with threadpool_limits(threads):
            gemm_seconds_before, gflops_before = time_gemms(shapes), matmul_gflops()
            rate, epochs = train_rate(args.seconds)
            gemm_seconds = min(gemm_seconds_before, time_gemms(shapes))
            gflops = max(gflops_before, matmul_gflops())
        limit = BATCH / gemm_seconds
        square_limit = gflops * 1e9 / flops
        print(f"threads {threads}    GEMMs alone {gemm_seconds * 1e3:.2f} ms/step "
              f"({flops * BATCH / gemm_seconds / 1e9:.1f} GFLOP/s, best of before/after), "
              f"limit {limit:,.0f} samples/s")
        print(f"             measured {rate:,.0f} samples/s (median of {epochs} epochs of "
              f"{BATCH * 40} samples), {rate / limit:.1%} of the limit")
        print(f"             for scale: a 1024x1024 matmul runs {gflops:.1f} GFLOP/s, a limit of "
              f"{square_limit:,.0f} samples/s ({rate / square_limit:.1%})")

    if args.profile:
        profiler = cProfile.Profile()
        with threadpool_limits(args.threads[0]):
            profiler.runcall(train_rate, 2.0)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
