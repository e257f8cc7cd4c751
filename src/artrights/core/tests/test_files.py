import contextlib
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import StopFutureHandlers, StopUpload
from django.test import RequestFactory

from artrights.core.models import StoredFile
from artrights.core.services import store_file
from artrights.core.tests.factories import stored_file, upload
from artrights.core.uploads import LimitedMemoryFileUploadHandler
from artrights.registry.tests.factories import artwork_png

pytestmark = pytest.mark.django_db


def test_an_uploaded_file_is_kept_with_its_sha256(artist):
    data = b"\x89PNG fake but fine for storage" * 100
    stored = store_file(owner=artist, upload=upload("sample.png", data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == len(data)
    with default_storage.open(stored.file.name) as fh:
        assert fh.read() == data


def test_an_upload_over_the_limit_is_refused_before_anything_is_stored(artist_client, settings):
    settings.ARTRIGHTS_MAX_UPLOAD_BYTES = 1024
    response = artist_client.post("/api/matching/check", {"image": upload("big.bin", b"x" * 5000)})
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


def test_there_is_no_raw_upload_endpoint_to_fill_the_storage_with(client, people):
    # Files come only with the act that needs them (an application, a check), under that act's access rule.
    for role in ("artist", "partner", "admin"):
        client.force_login(people[role])
        assert client.post("/api/core/files", {"file": upload("a.txt", b"abc")}).status_code == 404
    assert not StoredFile.objects.exists()


def test_an_empty_file_is_refused_with_a_clear_message(artist):
    with pytest.raises(ValidationError, match="空"):
        store_file(owner=artist, upload=upload("empty.txt", b""))
    assert not StoredFile.objects.exists()


# The storage quota: all of one account's files together, by count and by bytes -------------------------------


def _blobs() -> int:
    return sum(len(files) for _root, _dirs, files in _walk(default_storage))


def _walk(storage, path=""):
    dirs, files = storage.listdir(path)
    yield path, dirs, files
    for name in dirs:
        yield from _walk(storage, f"{path}/{name}" if path else name)


def test_a_file_past_the_count_quota_is_refused_and_nothing_is_stored(artist, settings):
    settings.ARTRIGHTS_UPLOAD_QUOTA_FILES = 2
    stored_file(owner=artist, data=b"one")
    stored_file(owner=artist, data=b"two")
    blobs = _blobs()
    with pytest.raises(ValidationError) as refused:
        stored_file(owner=artist, data=b"three")
    assert refused.value.code == "quota"
    assert "已达上限（2 个" in refused.value.messages[0] and "已用 2 个" in refused.value.messages[0]
    assert StoredFile.objects.count() == 2 and _blobs() == blobs


def test_a_file_past_the_byte_quota_is_refused_but_a_smaller_one_fits(artist, settings):
    settings.ARTRIGHTS_UPLOAD_QUOTA_BYTES = 1000
    stored_file(owner=artist, data=b"x" * 600)
    with pytest.raises(ValidationError, match="没有保存"):
        stored_file(owner=artist, data=b"x" * 401)
    stored_file(owner=artist, data=b"x" * 400)
    assert sum(StoredFile.objects.values_list("size", flat=True)) == 1000


def test_the_quota_is_per_account(artist, outsider, settings):
    settings.ARTRIGHTS_UPLOAD_QUOTA_FILES = 1
    stored_file(owner=artist)
    stored_file(owner=outsider)
    assert StoredFile.objects.count() == 2


def test_a_check_past_the_quota_is_refused_in_the_users_language(client, artist, settings):
    image = artwork_png(3)
    settings.ARTRIGHTS_UPLOAD_QUOTA_BYTES = len(image) - 1
    client.force_login(artist)
    client.cookies["django_language"] = "en"
    response = client.post("/api/matching/check", {"image": upload("suspect.png", image, "image/png")})
    assert response.status_code == 422
    assert "storage limit" in response.json()["detail"]
    assert not StoredFile.objects.exists()
