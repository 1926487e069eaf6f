"""The schema (OpenAPI 3, YAML or ``?format=json``) and a reference page built from it on the server: no script,
nothing from another origin (the site's Content-Security-Policy allows neither). The page's words are in the
reader's language; the operations, one block each, are grouped by resource, in the schema's order."""

from __future__ import annotations

from functools import lru_cache

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

METHODS = ("get", "post", "put", "patch", "delete")

#: What each group of operations (the schema's tag: the first part of the path) is called on the page.
RESOURCES = {
    "me": _("Your profile"),
    "customers": _("Companies, contacts and new requests"),
    "supply-points": _("Supply points"),
    "contracts": _("Contracts and payment day"),
    "invoices": _("Invoices, PDFs and exports"),
    "requests": _("Requests (Gestions)"),
    "collaborator-batches": _("Collaborators on many companies at once"),
    "webhooks": _("Webhooks"),
}


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


def _groups(schema: dict) -> list[dict]:
    """The operations by resource, the resources in the order of ``RESOURCES`` (any other last)."""
    groups: dict[str, dict] = {}
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["api"])[0]
            group = groups.setdefault(
                tag, {"tag": tag, "id": f"resource-{tag}", "title": RESOURCES.get(tag, tag), "ops": []}
            )
            group["ops"].append(
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
    order = list(RESOURCES)
    return sorted(groups.values(), key=lambda g: order.index(g["tag"]) if g["tag"] in order else len(order))


def reference(request):
    schema = _schema()
    return render(
        request,
        "api/reference.html",
        {"info": schema["info"], "groups": _groups(schema), "security": schema["components"].get("securitySchemes")},
    )
