"""BridgeConfig: what it accepts, what it refuses, and what it never prints."""

import tomllib
from pathlib import Path

import pytest

import authbridge
from authbridge import BridgeConfig, SessionCheck
from authbridge.config import DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, describe_session_check

KEY = b"k" * 32


def test_the_defaults_are_the_plugins_and_the_listen_mode() -> None:
    cfg = BridgeConfig(key=KEY)
    assert (cfg.issuer, cfg.audience, cfg.lifetime_seconds) == (
        "authbridge-frontend",
        "authbridge-backend",
        2_592_000,
    )
    assert cfg.session_check is SessionCheck.LISTEN and cfg.session_check.uses_listener
    assert cfg.session_cache_ttl_seconds == DEFAULT_TTL_SECONDS == 5
    assert (cfg.jwt.key, cfg.jwt.issuer, cfg.jwt.previous_keys) == (KEY, cfg.issuer, ())


@pytest.mark.parametrize("mode", ["listen", "ttl", "off"])
def test_a_mode_may_be_given_as_its_name(mode: str) -> None:
    cfg = BridgeConfig(key=KEY, session_check=mode)  # type: ignore[arg-type]
    assert cfg.session_check is SessionCheck(mode)
    assert cfg.session_check.uses_listener is (mode == "listen")


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="'sometimes' is not a valid SessionCheck"):
        BridgeConfig(key=KEY, session_check="sometimes")  # type: ignore[arg-type]


@pytest.mark.parametrize("ttl", [0, -1, MAX_TTL_SECONDS + 0.5])
def test_a_ttl_outside_its_range_is_refused(ttl: float) -> None:
    with pytest.raises(ValueError, match=r"session_cache_ttl_seconds must be in \(0, 60\]"):
        BridgeConfig(key=KEY, session_cache_ttl_seconds=ttl)


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        BridgeConfig(key=b"")
    with pytest.raises(ValueError, match="must not be empty"):
        BridgeConfig(key=KEY, previous_keys=(b"",))


def test_the_second_factor_column_is_read_by_the_session_query_once_checked() -> None:
    assert BridgeConfig(key=KEY).second_factor_column is None
    assert "false AS second_factor" in BridgeConfig(key=KEY).session_query
    cfg = BridgeConfig(key=KEY, second_factor_column="two_factor_enabled")
    assert 'u."two_factor_enabled" AS second_factor' in cfg.session_query


@pytest.mark.parametrize(
    "column",
    ["", "Two_Factor", 'x" OR true --', "two factor", "1st", "a" * 64],
    ids=["empty", "upper-case", "injection", "space", "digit-first", "64-chars"],
)
def test_a_second_factor_column_that_is_not_a_plain_name_is_refused(column: str) -> None:
    with pytest.raises(ValueError, match="not a plain lower-case column name"):
        BridgeConfig(key=KEY, second_factor_column=column)


def test_the_keys_are_never_printed() -> None:
    cfg = BridgeConfig(key=b"secret-key-of-32-bytes-at-least!", previous_keys=(b"older-secret",))
    assert "secret-key" not in repr(cfg) and "older-secret" not in repr(cfg)


def test_each_mode_says_its_revocation_bound_in_one_line() -> None:
    lines = {
        mode: describe_session_check(BridgeConfig(key=KEY, session_check=SessionCheck(mode)))
        for mode in ("listen", "ttl", "off")
    }
    assert "within about 1 s" in lines["listen"]
    assert "up to 5 s" in lines["ttl"]
    assert "on the next request" in lines["off"]
    assert all("\n" not in line and line.startswith("session check: ") for line in lines.values())


def test_the_package_says_the_version_of_its_pyproject() -> None:
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    assert authbridge.__version__ == tomllib.loads(pyproject.read_text())["project"]["version"]
