"""Native thread pools kept to one thread while a tool fits a model.

scikit-learn's k-means and the BLAS under numpy start an OpenMP / BLAS thread per core and
spin while they wait. On a small shared machine (2 cores, other work running) that
spinning made a k-means fit on 10,000 rows take 74 s instead of 3 s; the fits here are on
bounded samples, where one thread is as fast as several on an idle machine too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from threadpoolctl import threadpool_limits


@contextlib.contextmanager
def single_threaded() -> Iterator[None]:
    """Limit OpenMP and BLAS pools to one thread inside the block."""
    with threadpool_limits(limits=1):
        yield
