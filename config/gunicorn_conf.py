"""gunicorn settings for `make serve`."""

# Import the app once in the arbiter, so workers start fast and share its memory.
preload_app = True
