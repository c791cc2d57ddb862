"""TiedLinear and AutoEncoder: structure, gradients, dtype, and learning on digits."""
import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split

from diy import (
    Adam, AutoEncoder, BCELoss, Dropout, Linear, ReLU, Sequential, Sigmoid, TanH, TiedLinear,
    check_gradient, fit,
)
from diy.train import predict

TOLERANCE = 1e-6


def assert_gradients_ok(module, X):
    errors = check_gradient(module, X)
    assert max(errors.values()) < TOLERANCE, errors
    return errors


def test_tied_linear_matches_a_linear_holding_the_transpose():
    rng = np.random.default_rng(0)
    source = Linear(5, 3, rng=0, dtype=np.float64)
    tied = TiedLinear(source)
    tied._parameters["b"][...] = rng.standard_normal(5)
    mirror = Linear(3, 5, dtype=np.float64)
    mirror._parameters["W"][...] = source._parameters["W"].T
    mirror._parameters["b"][...] = tied._parameters["b"]
    X, delta = rng.standard_normal((4, 3)), rng.standard_normal((4, 5))

    np.testing.assert_allclose(tied.forward(X), mirror.forward(X), rtol=1e-14)
    np.testing.assert_allclose(tied.backward_delta(X, delta), mirror.backward_delta(X, delta), rtol=1e-14)
    source.zero_grad()
    for _ in range(2):  # accumulates, into the source's buffer
        tied.backward_update_gradient(X, delta)
        mirror.backward_update_gradient(X, delta)
    np.testing.assert_allclose(source._gradient["W"], mirror._gradient["W"].T, rtol=1e-14)
    np.testing.assert_allclose(tied._gradient["b"], mirror._gradient["b"], rtol=1e-14)
    assert [name for name, _, _ in tied.parameters()] == ["b"]


@pytest.mark.parametrize("batch", [1, 4])
def test_gradient_of_a_layer_tied_to_its_own_input_layer(batch):
    source = Linear(4, 3, rng=0, dtype=np.float64)
    net = Sequential(source, TanH(), TiedLinear(source))
    errors = assert_gradients_ok(net, np.random.default_rng(1).standard_normal((batch, 4)))
    assert sorted(errors) == ["0.W", "0.b", "2.b", "input"]  # W once, with both uses' gradient


@pytest.mark.parametrize("tied", [False, True])
@pytest.mark.parametrize("batch", [1, 3])
def test_autoencoder_gradients(tied, batch):
    ae = AutoEncoder.build([6, 4, 2], "tanh", "sigmoid", tied=tied, rng=0, dtype=np.float64)
    X = np.random.default_rng(2).uniform(0, 1, size=(batch, 6))
    errors = assert_gradients_ok(ae, X)
    expected = {"input", "encoder.0.W", "encoder.0.b", "encoder.2.W", "encoder.2.b",
                "decoder.0.b", "decoder.2.b"} | (set() if tied else {"decoder.0.W", "decoder.2.W"})
    assert set(errors) == expected


def test_build_mirrors_the_sizes_and_names_the_halves():
    ae = AutoEncoder.build([784, 256, 64, 16], rng=0)
    shapes = {name: p.shape for name, p, _ in ae.parameters()}
    assert shapes == {
        "encoder.0.W": (784, 256), "encoder.0.b": (256,), "encoder.2.W": (256, 64), "encoder.2.b": (64,),
        "encoder.4.W": (64, 16), "encoder.4.b": (16,), "decoder.0.W": (16, 64), "decoder.0.b": (64,),
        "decoder.2.W": (64, 256), "decoder.2.b": (256,), "decoder.4.W": (256, 784), "decoder.4.b": (784,),
    }
    # The code is linear by default (no saturated or dead code units); tanh elsewhere.
    assert [type(m) for m in ae.encoder] == [Linear, TanH, Linear, TanH, Linear]
    assert [type(m) for m in ae.decoder] == [Linear, TanH, Linear, TanH, Linear, Sigmoid]
    bounded = AutoEncoder.build([784, 256, 64, 16], latent_activation="tanh", rng=0)
    assert [type(m) for m in bounded.encoder] == [Linear, TanH, Linear, TanH, Linear, TanH]
    assert "(encoder): Sequential" in repr(ae)

    X = np.random.default_rng(0).random((5, 784), dtype=np.float32)
    code = ae.encode(X)
    assert code.shape == (5, 16) and code.dtype == np.float32
    np.testing.assert_array_equal(ae.forward(X), ae.decode(code))


def test_build_options():
    ae = AutoEncoder.build([10, 6, 3], "relu", "linear", latent_activation="linear", rng=0)
    assert [type(m) for m in ae.encoder] == [Linear, ReLU, Linear]
    assert [type(m) for m in ae.decoder] == [Linear, ReLU, Linear]
    assert [m.init for m in ae.encoder if isinstance(m, Linear)] == ["he", "xavier"]
    assert [m.init for m in ae.decoder if isinstance(m, Linear)] == ["he", "xavier"]

    # One scheme for every layer, its bound U(-1/sqrt(fan_in), +): Torch7's nn.Linear.
    torch = AutoEncoder.build([400, 100, 3], "relu", "linear", init="fan_in_uniform", rng=0)
    linears = [m for m in torch.encoder.children() + torch.decoder.children() if isinstance(m, Linear)]
    assert [m.init for m in linears] == ["fan_in_uniform"] * 4
    for m in linears:
        W = m._parameters["W"]
        assert np.abs(W).max() <= 1 / np.sqrt(m.d_in) < 1.01 * np.abs(W).max()
        assert (m._parameters["b"] == 0).all()

    tied = AutoEncoder.build([10, 6, 3], tied=True, rng=0)
    assert [m.source for m in tied.decoder if isinstance(m, TiedLinear)] == [tied.encoder[2], tied.encoder[0]]
    assert len(list(tied.parameters())) == 6  # 2 W, 2 encoder b, 2 decoder b
    with pytest.raises(ValueError, match="activation"):
        AutoEncoder.build([10, 3], "swish")
    with pytest.raises(TypeError, match="encoder and a decoder"):
        tied.append(Dropout(0.1))


def test_same_seed_same_autoencoder():
    a, b, c = (AutoEncoder.build([8, 4, 2], rng=seed) for seed in (3, 3, 4))
    for (_, pa, _), (_, pb, _), (_, pc, _) in zip(a.parameters(), b.parameters(), c.parameters()):
        assert np.array_equal(pa, pb)
    assert not np.array_equal(a.encoder[0]._parameters["W"], c.encoder[0]._parameters["W"])


def test_tied_autoencoder_survives_astype():
    ae = AutoEncoder.build([6, 4, 2], tied=True, rng=0).astype(np.float64)
    X = np.random.default_rng(0).uniform(0, 1, size=(3, 6))
    out = ae.forward(X)
    assert out.dtype == np.float64
    assert all(p.dtype == np.float64 and g.dtype == np.float64 for _, p, g in ae.parameters())
    ae.zero_grad()
    ae.backward_update_gradient(X, np.ones_like(out))
    # The decoder's use of W landed in the (converted) encoder buffer: compare with untied
    # copies of the same weights.
    untied = AutoEncoder.build([6, 4, 2], rng=0, dtype=np.float64)
    for layer, source in ((untied.encoder[0], ae.encoder[0]), (untied.encoder[2], ae.encoder[2])):
        layer._parameters["W"][...] = source._parameters["W"]
    untied.decoder[0]._parameters["W"][...] = ae.encoder[2]._parameters["W"].T
    untied.decoder[2]._parameters["W"][...] = ae.encoder[0]._parameters["W"].T
    untied.forward(X)
    untied.zero_grad()
    untied.backward_update_gradient(X, np.ones_like(out))
    expected = untied.encoder[0]._gradient["W"] + untied.decoder[2]._gradient["W"].T
    np.testing.assert_allclose(ae.encoder[0]._gradient["W"], expected, rtol=1e-12)


def test_latent_8_beats_pca_8_on_digits():
    X, y = load_digits(return_X_y=True)
    X = (X / 16).astype(np.float32)
    X_train, X_test = train_test_split(X, test_size=0.25, stratify=y, random_state=0)
    pca = PCA(n_components=8, random_state=0).fit(X_train)
    pca_error = ((pca.inverse_transform(pca.transform(X_test)) - X_test) ** 2).sum(axis=1).mean()

    ae = AutoEncoder.build([64, 32, 8], "tanh", "sigmoid", rng=0)
    fit(ae, BCELoss(), Adam(ae, lr=5e-3), X_train, epochs=60, batch_size=64, rng=0)
    ae_error = ((predict(ae, X_test) - X_test) ** 2).sum(axis=1).mean()
    assert ae_error < pca_error, (ae_error, pca_error)
