"""Names vulture cannot see used (pyproject.toml [tool.vulture]): each is read by name from outside
this package's own code. Never imported; vulture reads it as if it used these names."""

from authbridge.fastapi.errors import ErrorBody
from authbridge.schema import DROP_NOTIFY_STATEMENTS, NOTIFY_STATEMENTS
from authbridge.session_listener import DirectConnect

ErrorBody.message  # a field of the 401 body: pydantic serialises it, nothing reads it in Python
NOTIFY_STATEMENTS  # public API: an application runs them in its migration (README "listen")
DROP_NOTIFY_STATEMENTS  # public API: that migration's downgrade
DirectConnect.__call__  # a Protocol's signature: the connect function an application gives
