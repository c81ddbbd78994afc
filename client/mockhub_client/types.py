"""The types the bundled client's signatures use (plain JSON: the client parses answers, it builds no models)."""
from typing import Any

JSON = dict[str, Any]  # a JSON object: a request body part, or the `data` of an answer
Params = dict[str, Any] | None  # a request's query parameters
