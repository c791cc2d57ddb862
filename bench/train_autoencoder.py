"""Training speed of the reference autoencoder, against this machine's GEMM-bound limit.

Trains 784-256-64-16-64-256-784 (TanH hidden, Adam, batch 256, float32) on seeded
random data through ``diy.fit`` (shuffling and batch copies included) and prints
samples/s, for each BLAS thread count asked for. The output layer is either linear
with ``BCEWithLogitsLoss`` (``--loss logits``, the default) or a Sigmoid with
``BCELoss`` (``--loss bce``): the same model and loss, the second the long way round.
For each thread count it measures a float32 1024x1024 matmul, and derives the
GEMM-bound limit::

    FLOPs per sample = 6 x MACs per sample
        (forward X @ W, backward X.T @ delta and delta @ W.T: three GEMMs of
         2 x MACs FLOPs each; the usual convention, although diy skips the first
         layer's delta @ W.T, so it executes fewer, as printed)
    limit (samples/s) = matmul FLOP/s / FLOPs per sample
    fraction          = measured samples/s / limit

The matmul is timed before and after training and the faster is kept, so a busy
machine lowers the fraction rather than flattering it. Beside it, ``GEMMs alone`` times the
model's own matrix products at the batch size (the forward ``X @ W``, the weight gradient
``X.T @ delta`` and, but for the first layer, ``delta @ W.T``), nothing else, into preallocated
outputs: the rate training would reach if every element-wise operation were free, the ceiling
for ``fit`` on this machine.

``--profile`` runs ``diy.fit`` under cProfile and prints each part's share of the time (the
Linear layers, their GEMMs with the bias add and sum; Adam's update; the loss's forward, the
value logged each batch, and backward; the activations; the batch read; the rest), then the
functions that took most.

``--objectives`` also trains the same model under other objectives and prints each one's
samples/s as a share of the plain autoencoder's (measured in the same run, one after the
other): ``vae`` (``build_vae``: the code layer gives 2 x 16 means and log-variances, then
``GaussianSample``), ``l1`` (``L1Penalty`` on the code), ``kl_sparsity`` (a sigmoid code
and ``KLSparsity``), ``k_sparse`` (``KSparse``, k = 4) and ``contractive`` (the code layer a
``Contractive`` TanH layer).

    python bench/train_autoencoder.py [--loss logits|bce] [--seconds 5] [--threads 1 2]
                                      [--objectives plain vae l1 ...] [--profile]
"""
import argparse
import cProfile
import itertools
import math
import pstats
import time

import numpy as np
from threadpoolctl import threadpool_limits

import diy

SIZES = [784, 256, 64, 16]
#: (d_in, d_out) of the encoder's and the decoder's Linear layers, in order.
LAYERS = list(itertools.pairwise(SIZES)) + list(itertools.pairwise(SIZES[::-1]))
BATCH = 256
#: --loss -> (output activation, loss)
LOSSES = {"logits": ("linear", diy.BCEWithLogitsLoss), "bce": ("sigmoid", diy.BCELoss)}


def matmul_gflops(n=1024, seconds=1.0):
    """Best float32 (n, n) @ (n, n) rate over repeated runs, in GFLOP/s."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    out = np.empty((n, n), dtype=np.float32)
    np.matmul(a, b, out=out)
    best, deadline = math.inf, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        np.matmul(a, b, out=out)
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def gemm_rate(seconds=1.0):
    """Samples/s of the reference model's GEMMs alone (see the module docstring): the median of
    repeated passes over them, on seeded random operands of the model's shapes."""
    rng = np.random.default_rng(0)
    products = []
    for i, (d_in, d_out) in enumerate(LAYERS):
        X, W = rng.random((BATCH, d_in), dtype=np.float32), rng.random((d_in, d_out), dtype=np.float32)
        delta = rng.random((BATCH, d_out), dtype=np.float32)
        products += [(X, W, np.empty((BATCH, d_out), np.float32)),
                     (X.T, delta, np.empty((d_in, d_out), np.float32))]
        if i > 0:
            products.append((delta, W.T, np.empty((BATCH, d_in), np.float32)))
    times, deadline = [], time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 10:
        start = time.perf_counter()
        for a, b, out in products:
            np.matmul(a, b, out=out)
        times.append(time.perf_counter() - start)
    return BATCH / float(np.median(times))


def fit_rate(model, loss, X, seconds, batch):
    """Samples/s of ``diy.fit`` of `model` with Adam on `X`: median over ~1 s epochs after a
    warm-up, checking that nothing turned float64 on the way (shared with the conv benchmark)."""
    rng = np.random.default_rng(0)
    optimizer = diy.Adam(model, lr=1e-3)
    diy.fit(model, loss, optimizer, X, epochs=1, batch_size=batch, rng=rng)  # warm-up
    epochs = max(3, round(seconds / diy.fit(model, loss, optimizer, X, epochs=1, batch_size=batch,
                                                rng=rng)["seconds"][0]))
    history = diy.fit(model, loss, optimizer, X, epochs=epochs, batch_size=batch, rng=rng)
    dtypes = {p.dtype for _, p, _ in model.parameters()}
    dtypes |= {b.dtype for buffers in optimizer.state.values() for b in buffers}
    assert dtypes == {np.dtype(np.float32)}, f"float64 crept in: {dtypes}"
    return len(X) / float(np.median(history["seconds"])), epochs


def build(objective, output_activation, rng):
    """The reference model trained under `objective` (see the module docstring)."""
    if objective == "vae":
        model = diy.build_vae(SIZES, "tanh", rng=rng)
        if output_activation == "sigmoid":
            model.decoder.append(diy.Sigmoid())
        return model
    latent = {"kl_sparsity": "sigmoid", "k_sparse": "linear"}.get(objective, "tanh")
    model = diy.AutoEncoder.build(SIZES, "tanh", output_activation, latent_activation=latent, rng=rng)
    encoder = model.encoder.modules
    if objective == "l1":
        encoder.append(diy.L1Penalty(1e-3))
    elif objective == "kl_sparsity":
        encoder.append(diy.KLSparsity(0.05, 0.1))
    elif objective == "k_sparse":
        encoder.append(diy.KSparse(4))
    elif objective == "contractive":
        encoder[-2:] = [diy.Contractive(encoder[-2], encoder[-1], 0.1)]
    return model


OBJECTIVES = ["plain", "vae", "l1", "kl_sparsity", "k_sparse", "contractive"]


def train_rate(seconds, loss_name, objective="plain"):
    """Samples/s of ``diy.fit`` on the reference model under `objective`."""
    rng = np.random.default_rng(0)
    output_activation, make_loss = LOSSES[loss_name]
    model = build(objective, output_activation, rng)
    X = rng.random((BATCH * 40, SIZES[0]), dtype=np.float32)
    return fit_rate(model, make_loss(), X, seconds, BATCH)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loss", choices=sorted(LOSSES), default="logits",
                        help="linear output + BCEWithLogitsLoss, or Sigmoid + BCELoss")
    parser.add_argument("--seconds", type=float, default=5.0, help="training time measured per thread count")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="BLAS thread counts")
    parser.add_argument("--objectives", nargs="+", choices=OBJECTIVES, default=["plain"],
                        help="objectives to train (the first thread count only), each against plain")
    parser.add_argument("--profile", action="store_true",
                        help="also print where the time goes (with the first thread count)")
    args = parser.parse_args()

    macs = sum(d_in * d_out for d_in, d_out in LAYERS)
    flops = 6 * macs
    executed = flops - 2 * SIZES[0] * SIZES[1]
    output_activation, make_loss = LOSSES[args.loss]
    print(f"model        {'-'.join(map(str, SIZES + SIZES[-2::-1]))}, TanH/{output_activation}, "
          f"{make_loss.__name__}, Adam, batch {BATCH}, float32")
    print(f"FLOPs/sample {flops / 1e6:.3f} M  (6 x {macs} MACs; GEMMs actually run: {executed / 1e6:.3f} M)")

    for threads in args.threads:
        with threadpool_limits(threads):
            gflops_before = matmul_gflops()
            rate, epochs = train_rate(args.seconds, args.loss)
            gflops = max(gflops_before, matmul_gflops())
            ceiling = gemm_rate()
        limit = gflops * 1e9 / flops
        print(f"threads {threads}    matmul {gflops:.1f} GFLOP/s (float32 1024x1024, best of before/after), "
              f"limit {limit:,.0f} samples/s")
        print(f"             measured {rate:,.0f} samples/s (median of {epochs} epochs of {BATCH * 40} samples), "
              f"{rate / limit:.1%} of the limit")
        print(f"             GEMMs alone {ceiling:,.0f} samples/s, {ceiling / limit:.1%} of the limit "
              f"(training with free element-wise work)")

    others = [objective for objective in args.objectives if objective != "plain"]
    if others:
        with threadpool_limits(args.threads[0]):
            plain, _ = train_rate(args.seconds, args.loss)
            print(f"threads {args.threads[0]}    objective     samples/s  of plain")
            print(f"             {'plain':<12} {plain:>10,.0f}  100.0%")
            for objective in others:
                rate, _ = train_rate(args.seconds, args.loss, objective)
                print(f"             {objective:<12} {rate:>10,.0f}  {rate / plain:6.1%}")

    if args.profile:
        profiler = cProfile.Profile()
        with threadpool_limits(args.threads[0]):
            profiler.runcall(train_rate, 2.0, args.loss)
        stats = pstats.Stats(profiler)
        print(f"threads {args.threads[0]}    share of the time under cProfile (each part's functions, with what they call)")
        for part, share in profile_shares(stats).items():
            print(f"             {part:<40} {share:6.1%}")
        stats.sort_stats("tottime").print_stats(12)


#: --profile's parts: (file name, function names) -> part; no function listed calls another
#: listed one, so their cumulative times add up.
PARTS = [
    (("linear.py", ("forward", "backward_update_gradient", "backward_delta")), "Linear: GEMMs, bias add and sum"),
    (("adam.py", ("step",)), "Adam's update"),
    (("bce_with_logits_loss.py", ("forward",)), "loss forward (the value logged)"),
    (("bce_loss.py", ("forward",)), "loss forward (the value logged)"),
    (("bce_with_logits_loss.py", ("backward",)), "loss backward"),
    (("bce_loss.py", ("backward",)), "loss backward"),
    (("tanh.py", ("forward", "backward_delta")), "activations"),
    (("sigmoid.py", ("forward", "backward_delta")), "activations"),
    (("train.py", ("read",)), "batch read (fancy indexing)"),
]


def profile_shares(stats):
    """Each part of ``PARTS`` as its share of the profiled run's time (its functions' cumulative
    time: none of them calls another part's), in ``PARTS``' order, then "the rest": zeroing the
    gradients, the loops' Python, the warm-up's first calls."""
    shares = dict.fromkeys(part for _, part in PARTS)
    for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items():
        part = next((part for (name, functions), part in PARTS
                     if filename.endswith(f"/{name}") and function in functions), None)
        if part is not None:
            shares[part] = (shares[part] or 0.0) + cumulative
    shares = {part: seconds / stats.total_tt for part, seconds in shares.items() if seconds is not None}
    shares["the rest"] = 1.0 - sum(shares.values())
    return shares


if __name__ == "__main__":
    main()
