"""The order service's database access, as in the DB pool runbook's incident.

Each request checked a client out of the pool and gave it back on the happy path only.
A query that failed or timed out skipped ``client.release()``: every error leaked one
pooled connection, until the pool was empty and every request hung waiting for one.
"""

from orders.db import ConnectionPool


async def orders_for(pool: ConnectionPool, customer_id: int) -> list:
    client = await pool.connect()
    rows = await client.query("SELECT id, total FROM orders WHERE customer_id = $1", customer_id)
    client.release()
    return rows


async def orders_for_fixed(pool: ConnectionPool, customer_id: int) -> list:
    """The fix: the client goes back to the pool whatever happens."""
    client = await pool.connect()
    try:
        return await client.query("SELECT id, total FROM orders WHERE customer_id = $1", customer_id)
    finally:
        client.release()
