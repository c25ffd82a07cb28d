"""`python -m app`: validate the configuration, then serve with uvicorn.

Bad configuration prints ONE line `config error: VAR: problem. Fix: ...` to stderr and exits 2.
"""

import sys

from pydantic import ValidationError

from app.settings import describe_config_error, load_settings


def main() -> int:
    try:
        settings = load_settings()
    except ValidationError as error:
        print(describe_config_error(error), file=sys.stderr)
        return 2

    import uvicorn  # only once the configuration is known to be good

    from app.http.server import uvicorn_options

    uvicorn.run(
        "app.main:app",
        **uvicorn_options(
            settings.backend_host,
            settings.backend_port,
            settings.backend_workers,
            settings.log_format,
        ),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
