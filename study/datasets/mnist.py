"""MNIST: 70,000 handwritten digits of 28x28, the official 60,000/10,000 train/test split."""
from study.datasets.idx_dataset import idx_dataset

DATASET = idx_dataset(
    "mnist",
    train=(("train-images-idx3-ubyte",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47_040_016),
           ("train-labels-idx1-ubyte",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60_008)),
    test=(("t10k-images-idx3-ubyte",
           "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7_840_016),
          ("t10k-labels-idx1-ubyte",
           "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10_008)),
    image_shape=(28, 28),
    n_classes=10,
    mirror_env="DIY_MNIST_MIRROR",
)
