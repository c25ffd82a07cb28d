"""Settings validation: refuse weak secrets and non-TLS databases, normalise the URL."""

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.settings import Settings, describe_config_error, load_settings

GOOD_SECRET = "a-perfectly-fine-test-secret-of-40-bytes!"
NEON_URL = "postgresql://u:p@ep-cool-name.eu-central-1.aws.neon.tech/neondb?sslmode=require&channel_binding=require"


def settings(**values: object) -> Settings:
    values.setdefault("better_auth_secret", GOOD_SECRET)
    values.setdefault("database_url", NEON_URL)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def error_line(**values: object) -> str:
    with pytest.raises(ValidationError) as error:
        settings(**values)
    return describe_config_error(error.value)


def test_good_settings_are_accepted_and_the_url_is_pointed_at_psycopg() -> None:
    url = settings().database_url.get_secret_value()
    assert url == NEON_URL.replace("postgresql://", "postgresql+psycopg://")


def test_the_neon_url_keeps_channel_binding_for_libpq() -> None:
    assert "channel_binding=require" in settings().database_url.get_secret_value()


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg"])
def test_every_postgres_scheme_is_normalised_to_psycopg(scheme: str) -> None:
    url = settings(database_url=f"{scheme}://u:p@h/db?sslmode=verify-full").database_url
    assert url.get_secret_value() == "postgresql+psycopg://u:p@h/db?sslmode=verify-full"


@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_each_encrypting_sslmode_is_accepted(mode: str) -> None:
    assert settings(database_url=f"postgresql://u:p@h/db?sslmode={mode}")


@pytest.mark.parametrize(
    "query", ["", "?sslmode=disable", "?sslmode=allow", "?sslmode=prefer", "?sslmode=REQUIRE"]
)
def test_a_database_url_that_allows_plain_tcp_is_refused(query: str) -> None:
    line = error_line(database_url=f"postgresql://u:p@h/db{query}")
    assert line.startswith("config error: DATABASE_URL: has ")
    assert "Fix: add sslmode=require" in line


@pytest.mark.parametrize(
    "url", ["mysql://u:p@h/db?sslmode=require", "sqlite:///x.db", "http://h/db", "just text"]
)
def test_a_non_postgres_database_url_is_refused(url: str) -> None:
    assert error_line(database_url=url).startswith(
        "config error: DATABASE_URL: is not a PostgreSQL URL. Fix:"
    )


def test_an_empty_database_url_is_refused() -> None:
    assert error_line(database_url="").startswith("config error: DATABASE_URL: is empty. Fix:")


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("too-short-secret", "is shorter than 32 bytes"),
        ("x" * 31, "is shorter than 32 bytes"),
        ("change-me-run-npm-run-dev-to-generate-a-real-secret", "is the placeholder"),
        ("my-CHANGE-ME-secret-that-is-long-enough-to-pass", "is the placeholder"),
    ],
)
def test_a_weak_or_placeholder_secret_is_refused(secret: str, problem: str) -> None:
    line = error_line(better_auth_secret=secret)
    assert line.startswith(f"config error: BETTER_AUTH_SECRET: {problem}")
    assert "Fix:" in line
    if secret.strip():
        assert secret not in line  # the line names the problem, never the value


def test_a_secret_of_exactly_32_bytes_is_accepted() -> None:
    assert settings(better_auth_secret="s" * 32)


def test_the_secret_is_counted_in_bytes_not_characters() -> None:
    assert settings(better_auth_secret="é" * 16)  # 16 characters, 32 UTF-8 bytes


def test_a_missing_secret_names_the_variable_and_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BETTER_AUTH_SECRET", raising=False)
    with pytest.raises(ValidationError) as error:
        Settings(_env_file=None, database_url=NEON_URL)  # type: ignore[call-arg]
    line = describe_config_error(error.value)
    assert line.startswith("config error: BETTER_AUTH_SECRET: is missing. Fix:")


def test_secrets_never_appear_in_the_settings_repr() -> None:
    shown = repr(settings())
    assert GOOD_SECRET not in shown and ":p@" not in shown


def test_a_relative_ca_cert_path_resolves_against_the_repo_root(tmp_path: Path) -> None:
    repo_root = Path(__file__).resolve().parents[3]
    ca = repo_root / "backend" / "pyproject.toml"  # any existing file stands in for a PEM bundle
    assert settings(database_ca_cert="backend/pyproject.toml").database_ca_cert == ca


def test_an_empty_ca_cert_means_the_system_cas() -> None:
    assert settings(database_ca_cert="").database_ca_cert is None


def test_a_missing_ca_cert_file_is_refused(tmp_path: Path) -> None:
    line = error_line(database_ca_cert=str(tmp_path / "nope.crt"))
    assert line.startswith("config error: DATABASE_CA_CERT: file 'nope.crt' does not exist. Fix:")


def test_cors_allows_exactly_the_frontend_origin() -> None:
    assert (
        settings(better_auth_url="https://app.example.com/some/path/").cors_origin
        == "https://app.example.com"
    )
    assert settings(better_auth_url="http://localhost:3000").cors_origin == "http://localhost:3000"


def test_a_non_http_frontend_url_is_refused() -> None:
    assert error_line(better_auth_url="localhost:3000").startswith("config error: BETTER_AUTH_URL:")


def test_a_non_positive_token_lifetime_is_refused() -> None:
    assert error_line(backend_jwt_lifetime_seconds=0).startswith(
        "config error: BACKEND_JWT_LIFETIME_SECONDS:"
    )


def test_the_jwt_config_uses_the_utf8_bytes_of_the_secret() -> None:
    cfg = settings(backend_jwt_issuer="iss-x", backend_jwt_audience="aud-y").jwt_config()
    assert (cfg.key, cfg.issuer, cfg.audience) == (GOOD_SECRET.encode(), "iss-x", "aud-y")


def test_load_settings_reads_the_environment_each_time_it_is_called(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BACKEND_WORKERS", "3")
    first = load_settings()
    monkeypatch.setenv("BACKEND_WORKERS", "4")
    assert (first.backend_workers, load_settings().backend_workers) == (3, 4)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ("127.0.0.1", 8000)),
        ({"HOST": "0.0.0.0", "PORT": "8080"}, ("0.0.0.0", 8080)),  # noqa: S104  the platform's
        ({"BACKEND_HOST": "::1", "BACKEND_PORT": "8001"}, ("::1", 8001)),
        ({"PORT": "8080", "BACKEND_PORT": "8001"}, ("127.0.0.1", 8080)),  # PORT wins
    ],
)
def test_host_and_port_come_from_host_and_port_or_the_backend_names(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: tuple[str, int]
) -> None:
    for name in ("HOST", "PORT", "BACKEND_HOST", "BACKEND_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    got = settings()
    assert (got.backend_host, got.backend_port) == expected


def test_a_port_out_of_range_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "70000")
    assert error_line().startswith("config error: PORT:")


NEON_DIRECT = NEON_URL.replace("ep-cool-name.", "ep-cool-name-direct.")


def test_without_an_unpooled_url_the_direct_url_is_database_url() -> None:
    got = settings(database_url_unpooled="")
    assert got.database_url_unpooled is None
    assert got.direct_database_url.get_secret_value() == got.database_url.get_secret_value()


def test_neons_pair_maps_onto_the_two_urls_unchanged() -> None:
    pooler = NEON_URL.replace("ep-cool-name.", "ep-cool-name-pooler.")
    got = settings(database_url=pooler, database_url_unpooled=NEON_DIRECT)
    psycopg = "postgresql+psycopg://"
    assert got.database_url.get_secret_value() == pooler.replace("postgresql://", psycopg)
    assert got.direct_database_url.get_secret_value() == NEON_DIRECT.replace(
        "postgresql://", psycopg
    )


def test_an_unpooled_url_without_tls_is_refused() -> None:
    line = error_line(database_url_unpooled="postgresql://u:p@h/db?sslmode=disable")
    assert line.startswith("config error: DATABASE_URL_UNPOOLED: has sslmode=disable")


def test_trusted_origins_widen_cors_exactly_and_by_pattern() -> None:
    got = settings(
        better_auth_url="https://app.example.com",
        better_auth_trusted_origins="https://www.example.com, https://app-*-team.vercel.app",
    )
    assert got.cors_origins == ["https://app.example.com", "https://www.example.com"]
    regex = got.cors_origin_regex
    assert regex is not None
    assert re.fullmatch(regex, "https://app-git-main-team.vercel.app")
    for other in (
        "https://app-x.evil.com/-team.vercel.app",
        "https://app-a.b-team.vercel.app",  # `*` never crosses a dot
        "http://app-git-main-team.vercel.app",
        "https://app-git-main-team.vercel.app.evil.com",
    ):
        assert not re.fullmatch(regex, other), other


def test_without_trusted_origins_cors_is_the_frontend_origin_alone() -> None:
    got = settings(better_auth_url="http://localhost:3000")
    assert (got.cors_origins, got.cors_origin_regex) == (["http://localhost:3000"], None)


@pytest.mark.parametrize(
    ("origins", "problem"),
    [
        ("https://app.example.com/", "is not an origin"),
        ("app.example.com", "is not an origin"),
        ("https://*.vercel.app", "lets anyone's domain in"),
        ("https://*", "lets anyone's domain in"),
        ("https://a.com:*", "is not an origin"),
    ],
)
def test_a_trusted_origin_that_is_not_a_narrow_origin_is_refused(
    origins: str, problem: str
) -> None:
    line = error_line(better_auth_trusted_origins=origins)
    assert line.startswith("config error: BETTER_AUTH_TRUSTED_ORIGINS: ")
    assert problem in line and "Fix:" in line
