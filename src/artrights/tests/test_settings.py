"""Every setting the code reads is one an operator can set: declared in settings.py and named in the README."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

PACKAGE = Path(__file__).resolve().parents[1]
README = PACKAGE.parents[1] / "README.md"
SETTINGS_FILE = PACKAGE / "settings.py"

# Environment variables package code may read without settings.py, with the reason.
DIRECT_ENVIRONMENT = {
    "ARTRIGHTS_TRUST": "the offline verifier's default trust file; it runs without Django (verify.py)",
    "ARTRIGHTS_DATA_DIR": "the test plugin gives each test run its own data folder before settings load",
    "ARTRIGHTS_ENV_FILE": "the test plugin keeps a developer's .env out of tests before settings load",
}


def _package_sources() -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8")
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and path != SETTINGS_FILE
    }


def test_every_artrights_setting_the_code_reads_is_declared_in_settings():
    read: set[str] = set()
    for source in _package_sources().values():
        read |= set(re.findall(r"settings\.(ARTRIGHTS_[A-Z0-9_]+)", source))
        read |= set(re.findall(r"""getattr\(\s*settings,\s*["'](ARTRIGHTS_[A-Z0-9_]+)""", source))
    assert read, "the scan found no settings at all"
    undeclared = sorted(name for name in read if not hasattr(settings, name))
    assert undeclared == []


def test_no_setting_is_read_with_a_fallback_that_hides_a_missing_declaration():
    offenders = [
        f"{path.relative_to(PACKAGE)}: {match}"
        for path, source in _package_sources().items()
        for match in re.findall(r"""getattr\(\s*settings,\s*["'][A-Z0-9_]+["']\s*,[^)]*\)""", source)
    ]
    assert offenders == []


def test_every_environment_variable_settings_reads_is_documented_in_the_readme():
    names = set(re.findall(r"""env(?:\.[a-z]+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", SETTINGS_FILE.read_text()))
    assert {"DATABASE_URL", "ARTRIGHTS_KEYS_DIR", "ARTRIGHTS_TRUST_X_FORWARDED_FOR"} <= names
    readme = README.read_text(encoding="utf-8")
    undocumented = sorted(name for name in names if f"`{name}`" not in readme)
    assert undocumented == []


def test_package_code_reads_the_environment_only_through_settings():
    offenders = []
    for path, source in _package_sources().items():
        for name in re.findall(r"""os\.environ(?:\.get)?[\[(]\s*["']([A-Z][A-Z0-9_]+)["']""", source):
            if name.startswith("ARTRIGHTS_") and name not in DIRECT_ENVIRONMENT:
                offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert offenders == []


def test_the_image_pixel_budget_default_is_the_loaders_default():
    from artrights.core import images

    assert "default=80_000_000" in SETTINGS_FILE.read_text()
    assert images.DEFAULT_MAX_PIXELS == 80_000_000
