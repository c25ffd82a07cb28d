"""Settings that choose a mode: the log format, the previous secret of a rotation, the email
verification policy and the session check (SESSION_CACHE and its ttl)."""

import pytest

from tests.core.test_config import GOOD_SECRET, NEON_URL, error_line, settings


def test_the_log_format_is_text_or_json() -> None:
    assert settings().log_format == "text"
    assert settings(log_format="json").log_format == "json"
    assert error_line(log_format="yaml").startswith("config error: LOG_FORMAT:")


def test_the_previous_secret_is_optional_and_joins_the_verifier_keys() -> None:
    assert settings(better_auth_secret_previous="").jwt_config().previous_keys == ()
    previous = "the-secret-before-the-rotation-0123456789"
    cfg = settings(better_auth_secret_previous=previous).jwt_config()
    assert (cfg.key, cfg.previous_keys) == (GOOD_SECRET.encode(), (previous.encode(),))
    assert previous not in repr(settings(better_auth_secret_previous=previous))


@pytest.mark.parametrize(
    ("previous", "problem"),
    [
        ("short", "is shorter than 32 bytes"),
        ("change-me-run-npm-run-dev-to-generate-a-real-secret", "is the placeholder"),
        (GOOD_SECRET, "is the current secret"),
    ],
)
def test_a_weak_or_unchanged_previous_secret_is_refused(previous: str, problem: str) -> None:
    line = error_line(better_auth_secret_previous=previous)
    assert line.startswith(f"config error: BETTER_AUTH_SECRET_PREVIOUS: {problem}")
    assert "Fix:" in line


def test_email_verification_is_optional_unless_the_strict_mode_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REQUIRE_EMAIL_VERIFICATION", raising=False)
    assert settings().require_email_verification is False
    assert settings().email_verification == "optional"
    monkeypatch.setenv("REQUIRE_EMAIL_VERIFICATION", "true")
    assert settings().email_verification == "required"
    monkeypatch.setenv("REQUIRE_EMAIL_VERIFICATION", "false")
    assert settings().email_verification == "optional"


def test_the_session_check_is_listen_unless_told() -> None:
    cfg = settings()
    assert cfg.session_check == "listen" and cfg.session_cache_ttl_seconds == 5
    bridge = cfg.bridge_config()
    assert (bridge.session_check, bridge.session_cache_ttl_seconds) == ("listen", 5)
    assert bridge.key == GOOD_SECRET.encode() and not bridge.require_email_verification


@pytest.mark.parametrize(
    ("value", "mode"),
    [
        ("listen", "listen"),
        ("ttl", "ttl"),
        ("off", "off"),
        (" TTL ", "ttl"),
        ("true", "listen"),  # SESSION_CACHE was a boolean: its values keep their meaning
        ("1", "listen"),
        ("yes", "listen"),
        ("false", "off"),
        ("0", "off"),
        ("no", "off"),
        (True, "listen"),
        (False, "off"),
    ],
)
def test_session_cache_takes_a_mode_or_the_old_boolean(value: object, mode: str) -> None:
    cfg = settings(session_cache=value)
    assert cfg.session_check == mode == cfg.bridge_config().session_check


def test_an_unknown_session_cache_mode_names_the_three_and_the_aliases() -> None:
    assert error_line(session_cache="sometimes") == (
        "config error: SESSION_CACHE: is 'sometimes'. Fix: set it to listen (the default: a cache "
        "NOTIFY invalidates), ttl (a short-lived cache without a listener, for serverless hosts) "
        "or off (the database on every request); true and false mean listen and off"
    )


@pytest.mark.parametrize("ttl", ["0", "-1", "61", "soon"])
def test_a_session_cache_ttl_outside_0_to_60_seconds_is_refused(ttl: str) -> None:
    assert error_line(session_cache_ttl_seconds=ttl).startswith(
        "config error: SESSION_CACHE_TTL_SECONDS: "
    )


def test_the_ttl_reaches_the_bridge() -> None:
    cfg = settings(session_cache="ttl", session_cache_ttl_seconds="2.5")
    assert cfg.bridge_config().session_cache_ttl_seconds == 2.5


def test_listen_through_a_pooler_needs_the_direct_url_else_it_is_off() -> None:
    pooled = settings(database_pooled=True)
    assert pooled.session_cache_needs_direct_url and pooled.session_check == "off"
    direct = settings(database_pooled=True, database_url_unpooled=NEON_URL)
    assert not direct.session_cache_needs_direct_url and direct.session_check == "listen"
    ttl = settings(database_pooled=True, session_cache="ttl")  # no LISTEN: no direct URL needed
    assert not ttl.session_cache_needs_direct_url and ttl.session_check == "ttl"
