"""Password hashing (argon2id) and the password rules: length, not a common password."""

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import WeakPassword

# OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane. Raising these rehashes on next sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# A real hash to verify against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("elearn").joinpath("data/common-passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_password_rules(password: str, min_length: int) -> None:
    """Length and a blocklist only: composition rules make passwords worse, not better."""
    if len(password) < min_length:
        raise WeakPassword(f"Password must be {min_length} characters or more")
    if len(password) > 256:
        raise WeakPassword("Password must be 256 characters or fewer")
    if password.lower() in _common_passwords():
        raise WeakPassword("That password is too common. Choose one that is harder to guess")
    if is_trivial(password):
        raise WeakPassword("That password is too easy to guess. Avoid repeated characters and runs like abcd or 4321")


def is_trivial(password: str) -> bool:
    """Few different characters (aaaaaaaa, abababab) or one straight run (abcdefgh, 98765432)."""
    text = password.lower()
    if len(set(text)) <= 3:
        return True
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})
