"""A file storage that, like django-storages' S3Storage, signs URLs with response parameters:
lets the tests check the signed-redirect download mode without an object store."""

from urllib.parse import urlencode

from django.core.files.storage import FileSystemStorage


class SigningStorage(FileSystemStorage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        query = urlencode({**(parameters or {}), "X-Amz-Expires": expire, "X-Amz-Signature": "sig"})
        return f"https://objects.example.gov.cn/bucket/{name}?{query}"
