"""gunicorn settings for `make serve`."""

# Import the app once in the arbiter, so workers start fast and share its memory.
preload_app = True


def when_ready(server):
    """Load the proposer's language model in the arbiter, once, before the workers fork: they
    share it, and no teacher's first Propose annotations waits the second it takes."""
    from articles.attribution import model_available, nlp

    if model_available():
        nlp()
