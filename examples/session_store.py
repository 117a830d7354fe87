"""Login sessions kept in Redis, as in the cache runbook's incident.

Every login wrote a session key that nothing ever expired, so Redis memory grew with
every login, long after the sessions had ended. (The per-user login counter is one hash
field per account: it follows the users, not the traffic, and is not reported.)
"""

import redis

client = redis.Redis.from_url("redis://sessions.internal:6379/0")


def store_session(session_id: str, user_id: str, payload: bytes) -> None:
    client.set(f"session:{session_id}", payload)
    client.hincrby("logins", user_id)


def store_session_bounded(session_id: str, payload: bytes) -> None:
    """The fix: every key gets a TTL."""
    client.set(f"session:{session_id}", payload, ex=3600)
