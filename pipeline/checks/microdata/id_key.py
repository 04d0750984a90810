"""The secret key of the respondent_id hashes: 32 random bytes made once per validation.

The duplicate check across files needs, from every file, something that is equal exactly when
two ids are equal, and it is sent back from the part that read the file (a Dask worker, on a
cluster). An unkeyed hash would let whoever sees those values find the ids by hashing candidate
ids, and match them with another run's. So each part computes HMAC-SHA256 (RFC 2104) of every
id under this key, truncated to 128 bits (sql/id_hashes.sql): without the key the values say
nothing about the ids, and the next validation's key is another.

The key travels only inside the parts (their pickled payload) and stays in this process; it is
never a flow or task parameter of its own, a cache key or a log line. Its repr hides it, so that
a repr, a log line or an error that shows a part shows no key.
"""

from __future__ import annotations

import secrets

KEY_BYTES = 32
BLOCK_BYTES = 64  # SHA-256's block: HMAC pads the key with zeros to this length
INNER, OUTER = 0x36, 0x5C  # HMAC's ipad and opad bytes


class IdKey:
    """A secret key of HMAC-SHA256 over respondent ids; its bytes are shown by no repr or str."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        if not isinstance(secret, bytes) or len(secret) != KEY_BYTES:
            raise ValueError(f"an id key is {KEY_BYTES} bytes")
        self._secret = secret

    @classmethod
    def fresh(cls) -> IdKey:
        """A new key from the operating system's random source (one per validation)."""
        return cls(secrets.token_bytes(KEY_BYTES))

    @property
    def secret(self) -> bytes:
        return self._secret

    def pads(self) -> dict[str, bytes]:
        """HMAC's two padded keys, as the bound parameters of sql/id_hashes.sql: the key xor
        ipad (hashed before the id) and xor opad (hashed before the inner digest)."""
        padded = self._secret.ljust(BLOCK_BYTES, b"\0")
        return {
            "inner_pad": bytes(b ^ INNER for b in padded),
            "outer_pad": bytes(b ^ OUTER for b in padded),
        }

    def __repr__(self) -> str:
        return "IdKey(<secret>)"

    __str__ = __repr__

    def __reduce__(self) -> tuple:
        # pickled into a part's payload for a worker: the only way the key leaves this process
        return (IdKey, (self._secret,))
