"""gzip for the feed's answers, at the compression level a page of 1000 features can afford.

Django's GZipMiddleware compresses at level 6: a page of 1000 locations (0.7 MB of GeoJSON) cost
1.48× (CRS84) and 1.78× (EPSG:28992) the uncompressed answer on the server; at level 1 1.10× and 1.20×,
0.16 and 0.13 MB on the wire instead of 0.14 and 0.11 (bench/bench_gzip.py, one run each, in turns;
issue 13's bar is 1.3×). Everything else is Django's: the
200-byte floor, `Vary: Accept-Encoding`, weak ETags, nothing for an answer already encoded, and the
random-length file name in the gzip header against BREACH (`max_random_bytes`). Streamed answers
(the downloads) keep Django's own streaming compression.
"""

from __future__ import annotations

import gzip
import secrets
from typing import Any

from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

LEVEL = 1


def gzipped(content: bytes, *, max_random_bytes: int) -> bytes:
    """`content` gzipped at LEVEL, with a file name of random length in the header, as Django's
    django.utils.text.compress_string writes it at level 6."""
    compressed = gzip.compress(content, compresslevel=LEVEL, mtime=0)
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    return bytes(header) + b"a" * secrets.randbelow(max_random_bytes) + b"\x00" + compressed[10:]


class FeedGZipMiddleware(GZipMiddleware):
    def process_response(self, request: Any, response: Any) -> Any:
        if response.streaming:
            return super().process_response(request, response)
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = gzipped(response.content, max_random_bytes=self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
