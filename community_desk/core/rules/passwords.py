"""Password hashing: salted scrypt (hashlib), stored as 'scrypt$n$r$p$salt$hash'. Never in clear."""
from __future__ import annotations

import hashlib
import hmac
import os

from .text import ValidationError

N, R, P = 2**14, 8, 1
MIN_LENGTH = 6


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"密码至少 {MIN_LENGTH} 位")
    if password.isdigit() and len(set(password)) <= 2:
        raise ValidationError("密码太简单，请不要用重复的数字")


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


# Same parameters as a real hash; the stored digest is no scrypt output, so nothing matches it.
_DUMMY_HASH = f"scrypt${N}${R}${P}${'00' * 16}${'00' * 32}"


def verify_against_dummy(password: str) -> bool:
    """The same scrypt work as a real check, for a user name that does not exist: always False.

    A login for an unknown name then takes as long as one for a real name with a wrong password."""
    verify_password(password, _DUMMY_HASH)
    return False


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r),
                                p=int(p), dklen=len(digest_hex) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)
