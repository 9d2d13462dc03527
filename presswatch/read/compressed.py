"""Gzip input, decompressed under the file size limit: the limit applies to what comes out."""

from __future__ import annotations

import zlib

from presswatch.records import ArticleError


def gunzip_limited(data: bytes, max_bytes: int) -> bytes:
    """Every gzip member of data, decompressed; refused once the output passes max_bytes (a
    gzip bomb is a few kilobytes that inflate to gigabytes)."""
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=31)  # gzip header and trailer
        try:
            out += inflater.decompress(rest, max_bytes + 1 - len(out))
        except zlib.error as e:
            raise ArticleError(f"corrupt gzip data: {e}") from None
        if len(out) > max_bytes or inflater.unconsumed_tail:
            raise ArticleError(f"gzip content inflates past {max_bytes:,} bytes (PRESSWATCH_MAX_FILE_BYTES): "
                               "refused unread, as a possible gzip bomb")
        if not inflater.eof:
            raise ArticleError("truncated gzip data (the stream ends before its last member does)")
        rest = inflater.unused_data
        if not rest.strip(b"\0"):  # padding after the last member
            break
    return bytes(out)
