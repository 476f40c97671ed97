"""gunicorn settings for `make serve`; the benchmark (bench/gunicorn.conf.py) shares its hook."""

import gc

# Import the app once in the arbiter, so workers start fast and share its memory.
preload_app = True


def pre_fork(server, worker):
    """Move the loaded app's objects out of the collector's way before each worker forks.

    A full collection in a worker otherwise walks the hundred thousand long-lived objects the
    app loaded (modules, URL patterns, models): about 50 ms, every few hundred requests. Frozen,
    they are skipped, and their memory pages stay shared with the arbiter instead of copied.
    """
    gc.collect()
    gc.freeze()
