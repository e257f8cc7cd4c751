import contextlib
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import StopFutureHandlers, StopUpload
from django.test import RequestFactory

from artrights.core.models import StoredFile
from artrights.core.tests.factories import upload
from artrights.core.uploads import LimitedMemoryFileUploadHandler

pytestmark = pytest.mark.django_db


def test_an_uploaded_file_is_kept_with_its_sha256(artist_client):
    data = b"\x89PNG fake but fine for storage" * 100
    response = artist_client.post("/api/core/files", {"file": upload("sample.png", data)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    stored = StoredFile.objects.get(pk=body["id"])
    with default_storage.open(stored.file.name) as fh:
        assert fh.read() == data


def test_an_upload_over_the_limit_is_refused_before_anything_is_stored(artist_client, settings):
    settings.ARTRIGHTS_MAX_UPLOAD_BYTES = 1024
    response = artist_client.post("/api/core/files", {"file": upload("big.bin", b"x" * 5000)})
    assert response.status_code == 413
    assert "上限为" in response.json()["detail"]
    assert not StoredFile.objects.exists()


def test_an_over_limit_page_upload_gets_a_readable_page_in_english(client, artist, settings):
    settings.ARTRIGHTS_MAX_UPLOAD_BYTES = 1024
    client.force_login(artist)
    client.cookies["django_language"] = "en"
    response = client.post("/account/tokens/", {"file": upload("big.bin", b"x" * 5000)})
    assert response.status_code == 413
    assert "nothing was stored" in response.content.decode()


def test_a_chunked_upload_is_cut_off_at_the_limit(settings):
    settings.ARTRIGHTS_MAX_UPLOAD_BYTES = 100
    request = RequestFactory().post("/")
    handler = LimitedMemoryFileUploadHandler(request)
    handler.handle_raw_input(None, request.META, 120, "boundary")
    with contextlib.suppress(StopFutureHandlers):  # how a handler claims the file from the later ones
        handler.new_file("file", "a.bin", "application/octet-stream", 120)
    handler.receive_data_chunk(b"x" * 60, 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert request.upload_too_large


def test_uploading_needs_a_login(client):
    response = client.post("/api/core/files", {"file": upload("a.txt", b"abc")})
    assert response.status_code == 401
    assert not StoredFile.objects.exists()


def test_an_empty_file_is_refused_with_a_clear_message(artist_client):
    response = artist_client.post("/api/core/files", {"file": upload("empty.txt", b"")})
    assert response.status_code == 422
    assert "空" in response.json()["detail"]
