"""Names vulture cannot see used (pyproject.toml [tool.vulture]): each is read by name from outside
this repository's Python. Never imported; vulture reads it as if it used these names."""

from schemathesis.generation.stateful.state_machine import APIStateMachine

from app.http.server import StrictHttpProtocol
from app.schemas import ProfileExport, TaskCreate, TaskPublic, TaskUpdate
from app.settings import Settings

StrictHttpProtocol.send_400_response  # uvicorn's protocol calls it on a request it cannot parse
# pydantic: a body's fields are serialised and its model_config read by the framework, by name.
TaskCreate.model_config
TaskUpdate.model_config
TaskPublic.description
TaskPublic.created_at
TaskPublic.updated_at
ProfileExport.created_at
Settings.model_config  # pydantic-settings reads it: the root .env, extra variables ignored
# schemathesis's state machine calls it per step (tests/contracts/test_openapi_fuzz.py has one).
APIStateMachine.get_call_kwargs
