"""mnist_lesson: the code behind the MNIST textbook.

Every chapter of the book calls this package; each function is documented
and tested. Importing it has no side effects: nothing is downloaded, seeded
or styled until a function is called, and TensorFlow is imported only by
the functions that need it.
"""

from ._version import __version__
from .config import Settings, get_settings
from .data import MnistDataError, MnistSplit, load_mnist, load_split
from .encoding import flatten, from_one_hot, one_hot, preprocess, rescale

__all__ = [
    "__version__",
    "Settings",
    "get_settings",
    "MnistDataError",
    "MnistSplit",
    "load_mnist",
    "load_split",
    "flatten",
    "from_one_hot",
    "one_hot",
    "preprocess",
    "rescale",
]
