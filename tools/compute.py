"""Native thread pools kept to one thread while a tool fits a model.

NumPy's BLAS (and scikit-learn's OpenMP) start a thread per core and spin while they wait.
On a small shared machine (2 cores, other work running) that spinning made a k-means fit
on 10,000 rows take 74 s instead of 3 s, and doubled the CPU of CLV's SciPy fits; the fits
here are on bounded samples, where one thread is as fast as several on an idle machine too.

threadpoolctl limits only the pools of native libraries already loaded, and SciPy loads its
own BLAS with its first compiled module: ``single_threaded("scipy.optimize")`` imports such
modules before setting the limit.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator


@contextlib.contextmanager
def single_threaded(*preload: str) -> Iterator[None]:
    """Limit OpenMP and BLAS pools to one thread inside the block, after importing the
    ``preload`` modules (those the block's fits use) so that their pools are limited too.
    threadpoolctl is imported here, so that a tool fitting no model does not load it."""
    from threadpoolctl import threadpool_limits

    for module in preload:
        importlib.import_module(module)
    with threadpool_limits(limits=1):
        yield
