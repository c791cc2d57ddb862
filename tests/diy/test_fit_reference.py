"""fit and fit_dec train exactly as a straightforward loop written here does: the same
operations in the same order (shuffle, batch, forward, loss, backward, step, per batch), so the
parameters, the losses and DEC's assignments are equal bit for bit on any CPU and BLAS kernel
(both computations run on the same machine). This pins training: any change to the loop that
alters a single rounding fails here, whatever the kernel."""
import copy

import numpy as np
import pytest
from sklearn.datasets import load_digits

import diy
from diy.noise import corrupt
from diy.optim import WarmupCosine


def digits(n=150):
    X = (load_digits().data[:n] / 16).astype(np.float32)
    return X[:120], X[120:]


def reference_fit(net, loss, optimizer, X, y, *, epochs, batch_size, seed, X_val=None, patience=None,
                  noise=None, scheduler=None):
    """The training loop in plain terms: per epoch a permutation from the first of three
    streams spawned from the seed (the second corrupts the inputs), then per batch zero_grad,
    forward, the loss's and the penalties' batch means, backward, step; then the validation
    objective and early stopping. Returns the per-epoch training and validation objectives."""
    shuffle_rng, noise_rng, _ = np.random.default_rng(seed).spawn(3)
    best, best_parameters, waited, train_losses, val_losses = np.inf, None, 0, [], []
    for _ in range(epochs):
        net.train()
        order, total = shuffle_rng.permutation(len(X)), 0.0
        for start in range(0, len(X), batch_size):
            index = order[start:start + batch_size]
            batch_x = X[index]
            batch_y = batch_x if y is None else y[index]
            if noise is not None:
                batch_x = corrupt(batch_x, "gaussian", noise, noise_rng)
            net.zero_grad()
            output = net.forward(batch_x)
            value = float(loss.forward(batch_y, output).mean())
            for _, term in net.penalties():
                value += float(term.mean())
            net.backward_update_gradient(batch_x, loss.backward(batch_y, output))
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            total += value * len(index)
        train_losses.append(total / len(X))
        if X_val is None:
            continue
        net.eval()
        sums = {}
        for start in range(0, len(X_val), batch_size):
            batch = X_val[start:start + batch_size]
            output = net.forward(batch)
            for name, term in [("output", loss.forward(batch, output)), *net.penalties()]:
                sums[name] = sums.get(name, 0.0) + float(term.sum())
        val_loss = sum(total / len(X_val) for total in sums.values())
        val_losses.append(val_loss)
        if patience is not None:
            if val_loss < best:
                best, waited = val_loss, 0
                best_parameters = [p.copy() for _, p, _ in net.parameters()]
            else:
                waited += 1
                if waited >= patience:
                    break
    if best_parameters is not None:
        for (_, p, _), kept in zip(net.parameters(), best_parameters, strict=True):
            p[...] = kept
    net.eval()
    return train_losses, val_losses


def assert_same_parameters(a, b):
    """The parameters of `a` and `b`, walked in order, are equal bit for bit."""
    pairs = list(zip(a.parameters(), b.parameters(), strict=True))
    assert pairs
    for (name, p, _), (_, q, _) in pairs:
        assert p.dtype == q.dtype and np.array_equal(p, q), name


CASES = {
    # A denoising autoencoder whose large steps stop it early (epoch 3): the best parameters return.
    "denoising": lambda: (diy.AutoEncoder.build([64, 24, 6], "relu", "linear", rng=0), diy.BCEWithLogitsLoss(),
                          {"noise": 0.3, "patience": 1, "lr": 0.2}),
    # A KL-sparse code (its penalty enters the value and the gradient), a warm-up and cosine schedule.
    "sparse": lambda: (diy.AutoEncoder(
        diy.Sequential(diy.Linear(64, 8, rng=1), diy.Sigmoid(), diy.KLSparsity(0.1, 0.5)),
        diy.Sequential(diy.Linear(8, 64, rng=2))), diy.BCEWithLogitsLoss(),
        {"schedule": True, "patience": 2, "lr": 0.01}),
    # A VAE: the code is drawn (GaussianSample's own stream) and its KL is a penalty.
    "vae": lambda: (diy.build_vae([64, 16, 3], "tanh", rng=3), diy.BCEWithLogitsLoss(), {"lr": 0.01}),
}


@pytest.mark.parametrize("case", CASES)
def test_fit_is_the_plain_loop_bit_for_bit(case):
    X, X_val = digits()
    nets, losses = [], []
    for trainer in ("reference", "fit"):
        net, loss, options = CASES[case]()
        optimizer = diy.Adam(net, lr=options["lr"])
        scheduler = WarmupCosine(optimizer, 4 * 8, warmup=8) if options.get("schedule") else None
        common = dict(epochs=4, batch_size=16, X_val=X_val, patience=options.get("patience"), scheduler=scheduler)
        if trainer == "reference":
            losses.append(reference_fit(net, loss, optimizer, X, None, seed=7, noise=options.get("noise"), **common))
        else:
            noise = options.get("noise")
            transform = None if noise is None else (lambda batch, rng: corrupt(batch, "gaussian", noise, rng))
            history = diy.fit(net, loss, optimizer, X, rng=7, input_transform=transform, **common)
            losses.append((history["train_loss"], history["val_loss"]))
        nets.append(net)
    assert_same_parameters(*nets)
    assert losses[0] == losses[1]
    assert history.stopped_early == (case == "denoising")


def test_a_classifier_with_dropout_is_the_plain_loop_bit_for_bit():
    data = load_digits()
    X, y = (data.data[:200] / 16).astype(np.float32), data.target[:200]
    nets, losses = [], []
    for trainer in ("reference", "fit"):
        net = diy.Sequential(diy.Linear(64, 32, rng=0), diy.ReLU(), diy.Dropout(0.3, rng=1), diy.Linear(32, 10, rng=2))
        optimizer = diy.SGD(net, lr=0.05, momentum=0.9)
        if trainer == "reference":
            losses.append(reference_fit(net, diy.CrossEntropyLoss(), optimizer, X, y, epochs=3, batch_size=32,
                                        seed=1)[0])
        else:
            losses.append(diy.fit(net, diy.CrossEntropyLoss(), optimizer, X, y, epochs=3, batch_size=32,
                                  rng=1)["train_loss"])
        nets.append(net)
    assert_same_parameters(*nets)
    assert losses[0] == losses[1]


# -- DEC and IDEC: fit's per-batch hook and plan of batches -------------------------------------
def reference_dec(encoder, X, k, *, decoder, gamma, lr, update_interval, max_iter, batch_size, n_init, seed):
    """DEC (IDEC with `decoder`) in plain terms: k-means centroids from the first stream spawned
    from the seed; batches from consecutive passes over X, each in a fresh order from the
    second; before each batch the clustering term gets the batch's rows of P; every
    update_interval batches (and at max_iter) Q on X in eval mode and P refreshed. Returns the
    network trained (encoder and clustering layer, or IDEC's encoder, clustering term and
    decoder), the final Q and the mean KL per sample of each interval."""
    kmeans_rng, order_rng = np.random.default_rng(seed).spawn(2)
    encoder.eval()
    centroids, _, _ = diy.kmeans(encoder.forward(X), k, n_init=n_init, rng=kmeans_rng)
    layer = diy.ClusteringLayer(k, centroids.shape[1], centroids=centroids, dtype=X.dtype)
    model = diy.Sequential(encoder, layer)
    if decoder is None:
        net, loss, penalty = model, diy.KLDivLoss(), None
    else:
        penalty = diy.ClusteringPenalty(layer, gamma)
        net, loss = diy.Sequential(encoder, penalty, decoder), diy.MSELoss()
    optimizer = diy.Adam(net, lr=lr)

    def refreshed_p():
        model.eval()
        return diy.target_distribution(model.forward(X))

    P, order, kls, kl, seen = refreshed_p(), [], [], 0.0, 0
    for step in range(1, max_iter + 1):
        if not len(order):
            permutation = order_rng.permutation(len(X))
            order = [permutation[start:start + batch_size] for start in range(0, len(X), batch_size)]
        index = order.pop(0)
        net.train()
        batch_x, batch_p = X[index], P[index]
        net.zero_grad()
        if penalty is None:
            output = net.forward(batch_x)
            kl += float(loss.forward(batch_p, output).mean()) * len(index)
            net.backward_update_gradient(batch_x, loss.backward(batch_p, output))
        else:
            penalty.target = batch_p
            output = net.forward(batch_x)
            kl += float(penalty.penalty().mean()) * len(index)
            net.backward_update_gradient(batch_x, loss.backward(batch_x, output))
        optimizer.step()
        seen += len(index)
        if step % update_interval == 0 or step == max_iter:
            kls.append(kl / seen / (1 if penalty is None else gamma))
            P, kl, seen = refreshed_p(), 0.0, 0
    net.eval()
    return net, model.forward(X), kls


@pytest.mark.parametrize("with_decoder", [False, True], ids=["DEC", "IDEC"])
def test_fit_dec_is_the_plain_loop_bit_for_bit(with_decoder):
    """30 samples in batches of 8: passes of 4 batches; refreshes every 6 batches, so each
    interval crosses into a new pass, and the 15th batch ends a short last interval."""
    X, _ = digits(30)
    ae = diy.AutoEncoder.build([64, 12, 4], "tanh", "linear", rng=0)
    options = dict(update_interval=6, max_iter=15, batch_size=8, n_init=2)
    decoders = [copy.deepcopy(ae.decoder) if with_decoder else None for _ in range(2)]
    net, Q, kls = reference_dec(copy.deepcopy(ae.encoder), X, 3, decoder=decoders[0], gamma=0.5, lr=0.01,
                                seed=4, **options)
    result = diy.fit_dec(copy.deepcopy(ae.encoder), X, 3, decoder=decoders[1], gamma=0.5,
                         reconstruction_loss=diy.MSELoss(), optimizer=lambda net: diy.Adam(net, lr=0.01),
                         tol=0, rng=4, **options)
    assert [record["step"] for record in result.history] == [0, 6, 12, 15]
    trained = result.model if decoders[1] is None else diy.Sequential(result.model[0], result.model[1], decoders[1])
    assert_same_parameters(net, trained)
    assert np.array_equal(Q, result.Q)
    assert [record["loss"] for record in result.history[1:]] == kls
