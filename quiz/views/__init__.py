"""Views of the quiz app: what students see (student), what teachers see (teach)."""
