"""The schema (OpenAPI 3, YAML or ``?format=json``) and a reference page built from it on the server: no script,
nothing from another origin (the site's Content-Security-Policy allows neither)."""

from __future__ import annotations

from functools import lru_cache

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

METHODS = ("get", "post", "put", "patch", "delete")


class SchemaView(SpectacularAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


@lru_cache(maxsize=1)
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _properties(schema: dict, body: dict | None) -> list[dict]:
    """The fields of a request or response body, from its component."""
    if not body:
        return []
    content = next(iter(body.get("content", {}).values()), {})
    ref = content.get("schema", {}).get("$ref", "")
    component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else {}
    required = set(component.get("required", []))
    return [
        {
            "name": name,
            "type": spec.get("type") or spec.get("format") or "object",
            "required": name in required,
            "description": spec.get("description", ""),
            "enum": spec.get("enum", []),
        }
        for name, spec in component.get("properties", {}).items()
    ]


def reference(request):
    schema = _schema()
    operations = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            operations.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "body": _properties(schema, operation.get("requestBody")),
                    "responses": sorted(operation["responses"].items()),
                }
            )
    return render(
        request,
        "api/reference.html",
        {"info": schema["info"], "operations": operations, "security": schema["components"].get("securitySchemes")},
    )
