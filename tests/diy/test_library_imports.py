"""diy is a library that needs NumPy alone: importing and using it must not touch scikit-learn,
SciPy, pandas, matplotlib or Snakemake (run in a fresh interpreter that refuses to import them)."""
import subprocess
import sys
import textwrap

BLOCKED = ("sklearn", "scipy", "pandas", "matplotlib", "snakemake")

SCRIPT = textwrap.dedent("""
    import sys

    BLOCKED = {blocked!r}


    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"diy must not import {{name}}")
            return None


    sys.meta_path.insert(0, Blocker())

    import numpy as np

    import importlib
    import pkgutil

    import diy

    for module in pkgutil.walk_packages(diy.__path__, "diy."):  # every module, listed in __init__ or not
        importlib.import_module(module.name)
    from diy import AutoEncoder, BCELoss, MSELoss, Linear, ReLU, Sequential, load, save
    from diy.optim import Adam
    from diy.train import fit, predict

    rng = np.random.default_rng(0)
    X = rng.random((32, 6), dtype=np.float32)
    net = Sequential(Linear(6, 4, rng=rng), ReLU(), Linear(4, 2, rng=rng))
    loss = MSELoss()
    Y = rng.random((32, 2), dtype=np.float32)
    out = net.forward(X)
    net.zero_grad()
    net.backward(X, loss.backward(Y, out))
    grads = [gradient for _, _, gradient in net.parameters()]
    assert all(np.isfinite(g).all() for g in grads) and any(np.abs(g).sum() > 0 for g in grads)

    model = AutoEncoder.build([6, 3, 2], "tanh", rng=0)
    history = fit(model, BCELoss(), Adam(model, lr=1e-2), X, epochs=3, batch_size=8, rng=0)
    assert len(history) == 3 and history["train_loss"][-1] < history["train_loss"][0]
    save(model, sys.argv[1])
    np.testing.assert_array_equal(predict(load(sys.argv[1]), X),
                                  predict(model, X))

    loaded = sorted(name for name in sys.modules if name.split(".")[0] in BLOCKED)
    assert not loaded, loaded
    print("ok")
""").format(blocked=BLOCKED)


def test_diy_imports_and_trains_with_numpy_alone(tmp_path):
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "model.npz")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_the_blocker_blocks():
    # The check above would pass vacuously if the finder did not refuse these imports.
    script = SCRIPT.split("import numpy as np")[0] + "import sklearn\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "diy must not import sklearn" in result.stderr
