"""The attack catalogue of issue 3: each case builds a token for a given clock and names the
refusal code it must get. Used by the pure verifier tests and through the real HTTP app."""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass

from tests import tokens
from tests.tokens import b64url, claims_for, forge, sign

HEADER = {"alg": "HS256", "typ": "at+jwt"}


@dataclass(frozen=True)
class Attack:
    name: str
    build: Callable[[int], str]  # now -> token
    code: str


def _key() -> bytes:
    return tokens.secret_for_tests().encode()


def _signed(header: dict | str, payload: dict | str) -> str:
    return forge(header, payload, _key())


def _without(claim: str) -> Callable[[int], str]:
    def build(now: int) -> str:
        claims = claims_for(iat=now)
        del claims[claim]
        return sign(claims)

    return build


def _with(**overrides: object) -> Callable[[int], str]:
    return lambda now: _signed(HEADER, {**claims_for(iat=now), **overrides})


def _raw_claim(name: str, raw_json_value: str) -> Callable[[int], str]:
    """A signed payload whose claim is spelled as raw JSON (for 1e400 and friends)."""

    def build(now: int) -> str:
        claims = claims_for(iat=now)
        claims[name] = "__RAW__"
        return _signed(HEADER, json.dumps(claims).replace('"__RAW__"', raw_json_value))

    return build


def _flip_signature(now: int) -> str:
    head, payload, signature = sign(claims_for(iat=now)).split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "="))
    raw[0] ^= 0x01
    return f"{head}.{payload}.{b64url(bytes(raw))}"


def _stray_bits(now: int) -> str:
    token = sign(claims_for(iat=now))
    last = token[-1]
    # the last of 43 characters carries 4 bits + 2 unused ones: set an unused bit
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return token[:-1] + alphabet[alphabet.index(last) | 1]


def _swap_payload(now: int) -> str:
    head, _, signature = sign(claims_for(iat=now)).split(".")
    other = sign(claims_for(sub="someone-else", iat=now)).split(".")[1]
    return f"{head}.{other}.{signature}"


def _strip_signature(now: int) -> str:
    return sign(claims_for(iat=now)).rsplit(".", 1)[0] + "."


def _alg(alg: str, key: bytes | None = b"") -> Callable[[int], str]:
    return lambda now: forge({"alg": alg, "typ": "at+jwt"}, claims_for(iat=now), key)


def _header(**extra: object) -> Callable[[int], str]:
    return lambda now: _signed({**HEADER, **extra}, claims_for(iat=now))


def _secret(secret: bytes) -> Callable[[int], str]:
    return lambda now: forge(HEADER, claims_for(iat=now), secret)


def _session_data_cookie(now: int) -> str:
    # Better Auth's cookie cache JWT is signed with the same secret: its typ and claims differ.
    payload = {
        "session": {"id": "s1", "userId": "user-1", "token": "t"},
        "user": {"id": "user-1", "email": "a@example.test", "name": "Ada"},
        "updatedAt": now * 1000,
        "iat": now,
        "exp": now + 300,
    }
    return _signed({"alg": "HS256", "typ": "JWT"}, payload)


MALFORMED = "MALFORMED_TOKEN"
SIGNATURE = "INVALID_SIGNATURE"
EXPIRED = "TOKEN_EXPIRED"
CLAIMS = "INVALID_CLAIMS"
LIFETIME = tokens.LIFETIME

ATTACKS: list[Attack] = [
    *[
        Attack(f"alg {alg} unsigned", _alg(alg, None), MALFORMED)
        for alg in ("none", "None", "NONE", "nOnE")
    ],
    Attack("alg none with an HMAC signature", _alg("none", _key()), MALFORMED),
    Attack("alg HS512 header", _alg("HS512", _key()), MALFORMED),
    Attack("alg HS384 header", _alg("HS384", _key()), MALFORMED),
    Attack("alg RS256 header", _alg("RS256", _key()), MALFORMED),
    Attack("alg missing", lambda now: _signed({"typ": "at+jwt"}, claims_for(iat=now)), MALFORMED),
    Attack("stripped signature", _strip_signature, SIGNATURE),
    Attack("flipped signature bit", _flip_signature, SIGNATURE),
    Attack("truncated signature", lambda now: sign(claims_for(iat=now))[:-21], SIGNATURE),
    Attack("signature with stray trailing bits", _stray_bits, SIGNATURE),
    Attack("payload swapped under a valid signature", _swap_payload, SIGNATURE),
    Attack("wrong secret", _secret(b"another-secret-of-the-right-length-0123456789"), SIGNATURE),
    *[
        Attack(f"common secret {s!r}", _secret(s.encode()), SIGNATURE)
        for s in (
            "",
            "secret",
            "your-256-bit-secret",
            "changeme",
            "password",
            "better-auth-secret-12345678901234567890",
        )
    ],
    Attack("expired", lambda now: sign(claims_for(iat=now - LIFETIME - 100)), EXPIRED),
    Attack(
        "expired just beyond the leeway",
        lambda now: sign(claims_for(iat=now - LIFETIME - 31)),
        EXPIRED,
    ),
    Attack("nbf in the future", _with(nbf=2_000_000_000_000), CLAIMS),
    Attack("nbf an hour ahead", lambda now: sign(claims_for(iat=now, nbf=now + 3600)), CLAIMS),
    Attack("iat an hour ahead", lambda now: sign(claims_for(iat=now + 3600)), CLAIMS),
    *[
        Attack(f"{c} missing", _without(c), MALFORMED)
        for c in ("iss", "sub", "aud", "iat", "exp", "jti", "sid")
    ],
    *[
        Attack(f"{c} null", _with(**{c: None}), MALFORMED)
        for c in ("iss", "sub", "aud", "iat", "exp", "jti", "sid")
    ],
    Attack("sub an integer", _with(sub=123), MALFORMED),
    Attack("sub a boolean", _with(sub=True), MALFORMED),
    Attack("sub a list", _with(sub=["user-1"]), MALFORMED),
    Attack("sub an object", _with(sub={"id": "user-1"}), MALFORMED),
    Attack("sub empty", _with(sub=""), MALFORMED),
    Attack("sub longer than 255", _with(sub="u" * 256), MALFORMED),
    Attack("sid empty", _with(sid=""), MALFORMED),
    Attack("sid an integer", _with(sid=7), MALFORMED),
    Attack("exp a string", lambda now: sign(claims_for(iat=now, exp=str(now + 60))), MALFORMED),
    Attack("exp a boolean", _with(exp=True), MALFORMED),
    Attack("exp a list", lambda now: sign(claims_for(iat=now, exp=[now + 60])), MALFORMED),
    Attack("exp an object", lambda now: sign(claims_for(iat=now, exp={"t": now + 60})), MALFORMED),
    Attack("exp 1e400", _raw_claim("exp", "1e400"), MALFORMED),
    Attack("exp a float", lambda now: sign(claims_for(iat=now, exp=now + 60.5)), MALFORMED),
    Attack(
        "iat a string",
        lambda now: _signed(HEADER, {**claims_for(iat=now), "iat": str(now)}),
        MALFORMED,
    ),
    Attack("iat a boolean", _with(iat=False), MALFORMED),
    Attack("nbf a string", _with(nbf="0"), MALFORMED),
    Attack("aud a list", _with(aud=["authbridge-backend"]), MALFORMED),
    Attack("wrong audience", _with(aud="some-other-api"), CLAIMS),
    Attack("wrong issuer", _with(iss="https://evil.example"), CLAIMS),
    Attack(
        "lifetime one second too long",
        lambda now: sign(claims_for(iat=now, exp=now + LIFETIME + 1)),
        CLAIMS,
    ),
    Attack("exp before iat", lambda now: sign(claims_for(iat=now, exp=now - 1)), CLAIMS),
    Attack("exp absurdly far", _with(exp=10**40), CLAIMS),
    Attack("typ JWT", _header(typ="JWT"), CLAIMS),
    Attack("typ missing", lambda now: _signed({"alg": "HS256"}, claims_for(iat=now)), CLAIMS),
    Attack("unknown crit", _header(crit=["exp"]), MALFORMED),
    Attack("crit b64 false", _header(crit=["b64"], b64=False), MALFORMED),
    Attack("kid header", _header(kid="../../dev/null"), MALFORMED),
    Attack("jku header", _header(jku="https://attacker.example/jwks.json"), MALFORMED),
    Attack("jwk header", _header(jwk={"kty": "oct", "k": "AAAA"}), MALFORMED),
    Attack("x5c header", _header(x5c=["MIIB"]), MALFORMED),
    Attack("zip header", _header(zip="DEF"), MALFORMED),
    Attack("x5u header", _header(x5u="https://attacker.example/cert.pem"), MALFORMED),
    Attack("cty header", _header(cty="JWT"), MALFORMED),
    Attack(
        "duplicate alg in header",
        lambda now: _signed('{"alg":"none","alg":"HS256","typ":"at+jwt"}', claims_for(iat=now)),
        MALFORMED,
    ),
    Attack("header a JSON array", lambda now: _signed("[1,2]", claims_for(iat=now)), MALFORMED),
    Attack("header not JSON", lambda now: _signed("not json", claims_for(iat=now)), MALFORMED),
    Attack("payload not JSON", lambda now: _signed(HEADER, "not json"), MALFORMED),
    Attack("payload a JSON array", lambda now: _signed(HEADER, "[1]"), MALFORMED),
    Attack(
        "a JWE",
        lambda now: ".".join(
            [
                b64url(json.dumps({"alg": "dir", "enc": "A256GCM"})),
                "",
                b64url(b"iv" * 6),
                b64url(b"c" * 40),
                b64url(b"t" * 16),
            ]
        ),
        MALFORMED,
    ),
    Attack("two segments", lambda now: sign(claims_for(iat=now)).rsplit(".", 1)[0], MALFORMED),
    Attack("four segments", lambda now: sign(claims_for(iat=now)) + ".AAAA", MALFORMED),
    Attack("one segment", lambda now: b64url(json.dumps(claims_for(iat=now))), MALFORMED),
    Attack("empty token", lambda now: "", MALFORMED),
    Attack("non-base64 characters", lambda now: "ab$c.de%f.gh!i", MALFORMED),
    Attack(
        "padded base64", lambda now: sign(claims_for(iat=now)).replace(".", "==.", 1), MALFORMED
    ),
    Attack("non-ASCII", lambda now: sign(claims_for(iat=now)) + "é", MALFORMED),
    Attack(
        "1 MB token",
        lambda now: _signed(HEADER, {**claims_for(iat=now), "pad": "A" * 1_000_000}),
        MALFORMED,
    ),
    Attack(
        "just over 8 KiB",
        lambda now: _signed(HEADER, {**claims_for(iat=now), "pad": "A" * 6200}),
        MALFORMED,
    ),
    Attack("Better Auth session_data cookie replayed", _session_data_cookie, CLAIMS),
    Attack(
        "Better Auth compact session_data cookie replayed",
        lambda now: (
            b64url(json.dumps({"session": {"id": "s1"}, "expiresAt": now}))
            + "."
            + b64url(b"sig" * 10)
        ),
        MALFORMED,
    ),
]
