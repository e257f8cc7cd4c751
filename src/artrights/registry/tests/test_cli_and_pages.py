import json
import re
import subprocess
import sys

import pytest
from django.core.management import call_command

from artrights.registry import services
from artrights.registry.models import Status, Work

from .factories import OWNER, agency_owner_fields, application_form, artwork_png, samples, upload, work_fields

FILE_COMMAND = [sys.executable, "-m", "artrights.cli", "file"]

pytestmark = pytest.mark.django_db


def test_the_file_command_writes_a_certificate_that_the_offline_verifier_accepts(tmp_path, client, artist):
    image = tmp_path / "dafen.png"
    image.write_bytes(artwork_png(41))
    out = tmp_path / "out"
    call_command(
        "file",
        str(image),
        title="大芬油画",
        author=["林画家"],
        as_user=artist.username,
        out=str(out),
    )
    assert (out / "certificate.pdf").read_bytes().startswith(b"%PDF-")
    bundle = json.loads((out / "certificate.json").read_text(encoding="utf-8"))
    assert re.match(r"^粤数备字-\d{4}-\d{8}$", bundle["statement"]["number"])
    # The trust file is written beside the certificate: it can be checked offline at once, no web page needed.
    trust = out / "trust.json"
    assert json.loads(trust.read_text(encoding="utf-8")) == client.get("/verify/trust.json").json()
    for target in ("certificate.pdf", "certificate.json"):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "artrights.cli",
                "verify",
                str(out / target),
                "--trust",
                str(trust),
                "--file",
                str(image),
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "有效 VALID" in result.stdout
    # The proof names the owner by commitment; the openings with the ID number are written apart and open it.
    assert b"11010519491231002X" not in (out / "certificate.json").read_bytes()
    assert b"11010519491231002X" in (out / "owner-openings.json").read_bytes()
    command = [sys.executable, "-m", "artrights.cli", "verify", str(out / "certificate.pdf"), "--trust", str(trust)]
    result = subprocess.run(
        [*command, "--openings", str(out / "owner-openings.json")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "著作权人 林画家（resident_id 11010519491231002X）" in result.stdout


def test_the_file_command_refuses_a_file_that_is_not_an_image(tmp_path, artist):
    from django.core.management.base import CommandError

    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    with pytest.raises(CommandError) as err:
        call_command("file", str(bad), title="x", author=["a"], as_user=artist.username, out=str(tmp_path / "o"))
    assert "不是可用的图片" in str(err.value)
    assert not Work.objects.exists()


def test_an_artist_applies_in_the_browser_and_the_registrar_registers_it(
    client, artist, registrar, django_capture_on_commit_callbacks
):
    client.force_login(artist)
    response = client.post("/registry/apply/", application_form())
    work = Work.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/registry/works/{work.pk}/"
    client.post(f"/registry/works/{work.pk}/do/submit/")
    client.force_login(registrar)
    assert "南山的云" in client.get("/registry/review/").content.decode()
    for action in ("accept", "start_review"):
        client.post(f"/registry/works/{work.pk}/do/{action}/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/works/{work.pk}/do/register/")
    work.refresh_from_db()
    assert work.status == Status.REGISTERED
    client.force_login(artist)
    page = client.get(f"/registry/works/{work.pk}/").content.decode()
    assert work.number in page and "下载证书PDF" in page
    pdf = client.get(f"/registry/works/{work.pk}/certificate.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_in_english_the_refuse_button_is_a_verb_and_the_refused_status_a_state(client, artist, registrar):
    client.force_login(artist)
    client.post("/registry/apply/", application_form())
    work = Work.objects.get()
    client.post(f"/registry/works/{work.pk}/do/submit/")
    client.force_login(registrar)
    client.cookies["django_language"] = "en"
    for action in ("accept", "start_review"):
        client.post(f"/registry/works/{work.pk}/do/{action}/")
    page = client.get(f"/registry/works/{work.pk}/").content.decode()
    assert "Refuse registration" in page and "Registration refused" not in page
    Work.objects.filter(pk=work.pk).update(status=Status.REFUSED)
    assert "Registration refused" in client.get(f"/registry/works/{work.pk}/").content.decode()


def test_a_form_with_a_bad_id_number_shows_the_wrong_check_digit_and_saves_nothing(client, make_user):
    client.force_login(make_user("agent-wang", "agency"))
    form = application_form(**agency_owner_fields(owner_id_number="110105194912310021"))
    response = client.post("/registry/apply/", form)
    assert response.status_code == 200
    assert "第18位校验码错误" in response.content.decode()
    assert not Work.objects.exists()


def test_a_wrong_action_is_explained_not_crashed(client, artist):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(52))
    client.force_login(artist)
    response = client.post(f"/registry/works/{work.pk}/do/withdraw/", follow=True)
    assert "操作已完成" in response.content.decode()
    response = client.post(f"/registry/works/{work.pk}/do/submit/", follow=True)
    assert "不能执行" in response.content.decode()


def test_outsiders_cannot_open_or_download_someone_elses_work(client, artist, outsider):
    work = services.file_digital_work(
        user=artist, fields=work_fields(), owners=[OWNER], files=samples(53), issue_now=True
    )
    client.force_login(outsider)
    assert client.get(f"/registry/works/{work.pk}/").status_code == 404
    assert client.get(f"/registry/works/{work.pk}/certificate.pdf").status_code == 404


def test_the_public_search_finds_granted_works_but_not_drafts(client, artist):
    services.file_digital_work(
        user=artist, fields=work_fields(title="公开的画"), owners=[OWNER], files=samples(54), issue_now=False
    )
    services.create_application(user=artist, fields=work_fields(title="草稿的画"), owners=[OWNER], files=samples(55))
    assert "公开的画" in client.get("/registry/search/", {"q": "画"}).content.decode()
    assert "草稿的画" not in client.get("/registry/search/", {"q": "画"}).content.decode()


def test_the_api_files_a_digital_work_with_a_token(client, artist):
    from artrights.accounts.services import issue_token
    from artrights.testing import bearer

    raw = issue_token(user=artist, name="batch", scopes=["read", "write"])[1]
    data = json.dumps(
        {
            "title": "API的画",
            "work_type": "FINE_ART",
            "authors": [{"name": "林画家"}],
            "completed_on": "2026-01-02",
            "owners": [OWNER.__dict__ | {"signature": ""}],
        }
    )
    response = client.post(
        "/api/registry/digital-filings", {"data": data, "image": upload(artwork_png(56))}, **bearer(raw)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "filed" and body["number"].startswith("粤数备字-")
    bad = client.post(
        "/api/registry/digital-filings", {"data": "{not json", "image": upload(artwork_png(57))}, **bearer(raw)
    )
    assert bad.status_code == 422 and "JSON" in bad.json()["detail"]
    public = client.get(f"/api/registry/public/{body['number']}").json()
    assert public["title"] == "API的画"


def test_a_command_on_a_fresh_data_folder_says_to_migrate_instead_of_a_traceback(tmp_path):
    import os

    env = {**os.environ, "ARTRIGHTS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "artrights.settings"}
    env.pop("DATABASE_URL", None)
    image = tmp_path / "work.png"
    image.write_bytes(artwork_png(42))
    result = subprocess.run(
        [*FILE_COMMAND, str(image), "--title", "画", "--author", "林", "--as-user", "lin", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 2
    assert "artrights migrate" in result.stderr and "Traceback" not in result.stderr
