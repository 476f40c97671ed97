"""gunicorn settings for the benchmark: the production app, sized for the machine."""

import multiprocessing
import os

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8901")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2)
worker_class = os.environ.get("BENCH_WORKER_CLASS", "sync")
threads = int(os.environ.get("BENCH_THREADS", "1"))
# Keep the queue of connections waiting for a worker longer than the load generator's.
backlog = 2048
# An access log line per request is real work the app does not need here; errors still log.
accesslog = None
errorlog = os.environ.get("BENCH_ERRORLOG", "-")
loglevel = "warning"
timeout = 30
graceful_timeout = 5
# Import the app once in the arbiter so workers start fast and share the loaded code.
preload_app = True
proc_name = "sourcewise-bench"
