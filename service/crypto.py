"""Encryption of enquirers' contact details at rest.

Contact details are the most dangerous data the service holds: they are how a trafficker
posing as a relative would be reached, and how a real relative would be found. They are
encrypted with Fernet (AES-128-CBC + HMAC) before they reach the database; the first key
encrypts and every key decrypts, so keys can be rotated by putting a new one in front.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class ContactCipher:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is needed")
        self._fernet = MultiFernet([Fernet(key.encode("ascii")) for key in keys])

    def encrypt(self, contact: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(contact, sort_keys=True).encode()).decode("ascii")

    def decrypt(self, token: str) -> dict[str, Any]:
        try:
            plain = self._fernet.decrypt(token.encode("ascii"))
        except InvalidToken as error:
            raise RuntimeError(
                "contact details cannot be decrypted with the configured keys"
            ) from error
        value: dict[str, Any] = json.loads(plain)
        return value

    def rotate(self, token: str) -> str:
        """Re-encrypt under the first (newest) key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")
