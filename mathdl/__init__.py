"""mathdl: the reference implementations of *The Mathematics of Deep Learning*.

Small, readable numpy code, with every derivative written right under its
function and checked in ``tests/`` and in the chapters. Modules:

``activations``  sigmoid, tanh, ReLU, leaky ReLU, softmax and their derivatives
``layers``       the ``Layer`` base class every layer follows
``gradcheck``    central differences and the relative error that judges them
``symbolic``     executable derivations: checked chains, derivatives, identities
``source``       show a function's real source on a page
``index``        the verification index page (``python -m mathdl.index``)
"""

from . import activations, gradcheck, layers, symbolic
from .source import show_source

__version__ = "0.1.0"
__all__ = ["activations", "gradcheck", "layers", "symbolic", "show_source", "__version__"]
