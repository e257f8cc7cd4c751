"""Files go to S3-compatible object storage when configured: checked against a moto server on loopback."""

import hashlib
import socket

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from artrights.core.services import store_file

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_server():
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="artrights-test")
    yield endpoint, client
    server.stop()


def test_an_upload_is_stored_in_the_s3_bucket_when_one_is_configured(s3_server, settings, artist):
    endpoint, client = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "artrights-test",
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    storages._storages = {}  # the handler caches backends; forget the local one
    try:
        data = "水墨山水 sample".encode() * 50
        stored = store_file(owner=artist, upload=SimpleUploadedFile("shan-shui.png", data))
        obj = client.get_object(Bucket="artrights-test", Key=stored.file.name)
        body = obj["Body"].read()
        assert body == data
        assert stored.sha256 == hashlib.sha256(data).hexdigest()
        with stored.file.open("rb") as fh:
            assert fh.read() == data
    finally:
        storages._storages = {}
