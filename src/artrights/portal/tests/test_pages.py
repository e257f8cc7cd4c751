import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
PACKAGE = Path(__file__).resolve().parents[2]


def test_the_home_page_is_in_chinese_by_default(client):
    page = client.get("/").content.decode()
    assert 'lang="zh-CN"' in page
    assert "艺术版权保护与活化平台" in page
    assert "登录" in page


def test_the_language_switch_turns_pages_into_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "Art Copyright Protection and Activation Platform" in page
    assert "艺术版权保护与活化平台" not in page.split("<footer>")[0].replace("ArtRights", "")
    page = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, follow=True).content.decode()
    assert "作品登记与数字作品备案" in page


def test_a_dashboard_in_english_names_the_role_and_its_tasks(client, registrar):
    client.force_login(registrar)
    client.cookies["django_language"] = "en"
    page = client.get("/dashboard/").content.decode()
    assert "Registrar dashboard" in page
    assert "Applications to review" in page


def test_the_dashboard_needs_a_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_logout_ends_the_session(artist_client):
    artist_client.post("/accounts/logout/")
    assert artist_client.get("/dashboard/").status_code == 302


def test_the_api_documents_itself(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/accounts/me" in schema["paths"]
    assert "/api/core/identifiers/check" in schema["paths"]


def test_the_identifier_check_api_names_the_wrong_check_digit(client):
    body = client.get("/api/core/identifiers/check", {"kind": "uscc", "value": "91350100M000100Y4Z"}).json()
    assert body == {
        "valid": False,
        "normalised": None,
        "code": "uscc_check",
        "position": 18,
        "message": "第18位校验码错误：应为“3”，实际为“Z”。",
    }


def test_the_working_day_api_marks_unpublished_years_as_provisional(client):
    body = client.get("/api/core/workdays/add", {"start": "2026-12-20", "days": 15}).json()
    assert body["provisional"] is True
    body = client.get("/api/core/workdays/add", {"start": "2026-09-30", "days": 1}).json()
    assert body == {"start": "2026-09-30", "working_days": 1, "due": "2026-10-08", "provisional": False}


def test_pages_send_a_content_security_policy_and_safe_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_or_static_file_loads_anything_from_another_host():
    external = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.I)
    offenders = []
    for path in list(PACKAGE.rglob("templates/**/*.html")) + list(PACKAGE.rglob("static/**/*.css")):
        if external.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    assert offenders == []


def test_the_english_translation_is_complete_and_compiled():
    polib = pytest.importorskip("polib")
    po = polib.pofile(str(PACKAGE / "locale/en/LC_MESSAGES/django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    mo = polib.mofile(str(PACKAGE / "locale/en/LC_MESSAGES/django.mo"))
    # Keyed by context too: the same Chinese word can be a status and a button ("不予登记").
    assert {(e.msgctxt, e.msgid): e.msgstr for e in mo if not e.msgid_plural} == {
        (e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries() if not e.msgid_plural
    }


FULL_WIDTH = re.compile("[（），：。、；]")
# What a translation replaces: translated tags and blocks, and Django syntax (a `|join:_("、")` argument is translated).
TRANSLATED_OR_SYNTAX = re.compile(
    r"\{% *blocktrans.*?\{% *endblocktrans *%\}|\{% *comment *%\}.*?\{% *endcomment *%\}"
    r"|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}",
    re.S,
)


def test_english_pages_get_no_chinese_punctuation_from_the_catalogue_or_the_templates():
    """Full-width brackets, commas and colons read as stray glyphs in English ("Sub-licence under LC-1（A → B）"):
    the English catalogue uses ASCII punctuation, and templates put punctuation around values through
    translations (`{% trans "（" %}`, `|join:_("、")`), never as literal text."""
    polib = pytest.importorskip("polib")
    po = polib.pofile(str(PACKAGE / "locale/en/LC_MESSAGES/django.po"))
    in_catalogue = [
        e.msgid for e in po if FULL_WIDTH.search(e.msgstr + "".join(e.msgstr_plural.values())) and not e.obsolete
    ]
    assert in_catalogue == []
    in_templates = []
    for path in PACKAGE.rglob("templates/**/*.html"):
        for line in TRANSLATED_OR_SYNTAX.sub("", path.read_text(encoding="utf-8")).splitlines():
            if FULL_WIDTH.search(line):
                in_templates.append(f"{path.relative_to(PACKAGE)}: {line.strip()[:80]}")
    assert in_templates == []


def test_the_command_line_lists_the_platform_commands():
    out = subprocess.run([sys.executable, "-m", "artrights.cli", "--help"], capture_output=True, text=True, check=True)
    for command in ("serve", "demo", "createuser"):
        assert f"  {command}" in out.stdout


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "ARTRIGHTS_ENV": "production",
        "SECRET_KEY": "k" * 20 + "Zx9!q@T#r$w%e^y&u*i(o)p_a+s=d-f" + "9" * 20,
        "ALLOWED_HOSTS": "artrights.example.org",
        "ARTRIGHTS_PUBLIC_URL": "https://artrights.example.org",
        "ARTRIGHTS_DATA_DIR": str(tmp_path),
        "ARTRIGHTS_ENV_FILE": str(tmp_path / "none.env"),
        "DJANGO_SETTINGS_MODULE": "artrights.settings",
    }
    out = subprocess.run(
        [sys.executable, "-m", "artrights.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "ARTRIGHTS_ENV": "production",
        "ARTRIGHTS_DATA_DIR": str(tmp_path),
        "ARTRIGHTS_ENV_FILE": str(tmp_path / "none.env"),
        "DJANGO_SETTINGS_MODULE": "artrights.settings",
    }
    out = subprocess.run([sys.executable, "-m", "artrights.cli", "check"], capture_output=True, text=True, env=env)
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def test_every_model_change_has_its_migration():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits non-zero when one is missing


def test_every_translatable_string_in_the_code_has_its_english_translation(tmp_path):
    # makemessages on a copy of the package: a string added to the code but not to the catalogue would show
    # Chinese on an English page while the catalogue itself still looked complete.
    polib = pytest.importorskip("polib")
    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed (.ci/run installs it)")
    copy = tmp_path / "src" / "artrights"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "*.mo"))
    env = {**os.environ, "PYTHONPATH": str(copy.parent), "ARTRIGHTS_DATA_DIR": str(tmp_path / "var")}
    subprocess.run(
        [sys.executable, "-m", "artrights.cli", "makemessages", "-l", "en"],
        cwd=copy,
        env=env,
        capture_output=True,
        check=True,
        timeout=300,
    )
    po = polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], "run `artrights makemessages -l en`, translate, then `artrights compilemessages`"
