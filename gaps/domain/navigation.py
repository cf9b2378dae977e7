"""Where the application may send a browser after sign-in: only to its own pages."""

from urllib.parse import urlsplit


def is_own_page(target: str | None) -> bool:
    """Whether `target` is a path on this site (not another host, not a script)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(character) < 32 for character in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
