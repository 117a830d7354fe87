"""A user-profile service as it looked before the cache runbook was written.

Every request went through these caches; none of them ever evicted anything, so the
pods' memory grew with the number of distinct users until the OOM killer stepped in.
"""

import functools

import requests


@functools.lru_cache(maxsize=None)
def fetch_profile(user_id: str) -> dict:
    """One entry per user who ever logged in, kept for the life of the process."""
    return requests.get(f"https://profiles.internal/users/{user_id}", timeout=5).json()


@functools.cache
def avatar_url(user_id: str, size: int) -> str:
    return f"https://cdn.internal/avatars/{user_id}/{size}.png"


class ProfilePage:
    """Built per request; the method cache keeps every page (and its request) alive."""

    def __init__(self, request):
        self.request = request

    @functools.lru_cache(maxsize=64)
    def render_section(self, section: str) -> str:
        return f"<section>{section}</section>"
