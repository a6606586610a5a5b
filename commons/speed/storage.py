"""Static files: WhiteNoise's compressed storage with a manifest of hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage

from commons.speed import shortcuts


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Each file's URL is worked out once per process: every page asks for the same four, and the
    manifest of hashed names does not change while the process runs (`collectstatic` comes first)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force or not shortcuts.enabled("static_urls"):
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
