"""The only way WeasyPrint may read a file: from the review folder or the theme folder.

A review's text is untrusted. Its HTML is escaped, but images, fonts and CSS
are fetched, so the fetcher refuses everything outside the two folders: other
paths, `..`, symbolic links leading out, devices such as /dev/urandom (a read
that never ends), http(s), and data: URLs larger than a limit. Refusals are
collected and turned into input errors by the caller; nothing is fetched from
the network.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_FILE_BYTES = 50 * 2**20
MAX_DATA_URL_BYTES = 2 * 2**20


@dataclass
class Refusal:
    """A URL the fetcher would not serve, and why."""

    url: str
    reason: str


@dataclass
class _Limits:
    roots: tuple[Path, ...]
    refusals: list[Refusal] = field(default_factory=list)


class SafeFetcher(URLFetcher):
    """Serves regular files under `roots` and small data: URLs; refuses and records the rest."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.limits = _Limits(tuple(root.resolve() for root in roots))

    @property
    def refusals(self) -> list[Refusal]:
        return self.limits.refusals

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            if len(url) > MAX_DATA_URL_BYTES:
                self._refuse(url, f"data: URL larger than {MAX_DATA_URL_BYTES // 2**20} MiB")
            return super().fetch(url, headers)
        if scheme != "file":
            self._refuse(url, f"{scheme}: is not allowed; only files inside the review or theme folder are")
        return self._file(url)

    def _file(self, url: str) -> URLFetcherResponse:
        path = Path(unquote(urlparse(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.limits.roots):
            self._refuse(url, "outside the review folder and the theme folder")
        try:
            info = path.stat()
        except OSError:
            self._refuse(url, "file not found")
        if not stat.S_ISREG(info.st_mode):
            self._refuse(url, "not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            self._refuse(url, f"larger than {MAX_FILE_BYTES // 2**20} MiB")
        return URLFetcherResponse(path.as_uri(), path.read_bytes())

    def _refuse(self, url: str, reason: str) -> None:
        shown = url if len(url) < 120 else url[:100] + "…"
        self.limits.refusals.append(Refusal(shown, reason))
        raise ValueError(f"refused {shown}: {reason}")
