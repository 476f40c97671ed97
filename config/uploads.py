"""Refuse oversized uploads while they arrive, not after reading them whole."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitUploadHandler(FileUploadHandler):
    """Stop reading an upload once it passes MAX_UPLOAD_BYTES.

    The request is marked with `upload_too_large`, so the view can say what was wrong; the
    file never reaches the form.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Known too large from its announced length: refuse at its first byte of file data.
        # (Stopping here, before parsing starts, would lose the form's other fields too.)
        self.announced_too_large = bool(
            content_length and content_length > settings.MAX_UPLOAD_BYTES + 64 * 1024
        )

    def receive_data_chunk(self, raw_data, start):
        received = start + len(raw_data)
        if getattr(self, "announced_too_large", False) or received > settings.MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
