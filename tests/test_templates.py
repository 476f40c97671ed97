"""Every project template compiles, including pages only an error or a lockout shows."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize(
    "name",
    sorted(str(path.relative_to(TEMPLATE_DIR)) for path in TEMPLATE_DIR.rglob("*.html")),
)
def test_every_project_template_compiles(name):
    assert engines["django"].get_template(name) is not None
