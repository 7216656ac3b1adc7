"""The API's own pages: the token endpoint and the reference page built from the schema.

The reference is rendered on the server from the same OpenAPI schema `/api/schema/` serves, so it
needs no JavaScript and nothing from a CDN, works in the closed networks municipalities run, and
is as accessible as every other page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import get_language
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.views import ObtainAuthToken

from .base import ApiAutoSchema, TokenThrottle

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
# One schema per language and URLconf: the schema is the same for every user, and generating it
# walks every endpoint.
_schemas: dict[tuple[str, str], dict[str, Any]] = {}


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for the API token (`Authorization: Token <key>`)."""

    throttle_classes = (TokenThrottle,)
    schema = ApiAutoSchema()


def api_schema() -> dict[str, Any]:
    key = (get_language() or settings.LANGUAGE_CODE, str(settings.ROOT_URLCONF))
    if key not in _schemas:
        _schemas[key] = SchemaGenerator().get_schema(request=None, public=True)
    return _schemas[key]


def _type_of(schema: dict[str, Any]) -> str:
    """A short human reading of a property's schema: `string (date)`, `array of Board`, …"""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            return " | ".join(_type_of(part) for part in schema[combined])
    if schema.get("type") == "array":
        return f"array of {_type_of(schema.get('items', {}))}"
    kind = str(schema.get("type", "object"))
    if "format" in schema:
        kind += f" ({schema['format']})"
    if schema.get("nullable"):
        kind += ", null"
    return kind


def _operations_by_tag(schema: dict[str, Any]) -> list[dict[str, Any]]:
    tags: dict[str, list[dict[str, Any]]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            content: dict[str, Any] = operation.get("requestBody", {}).get("content", {})
            media: dict[str, Any] = next(iter(content.values()), {})
            first_body: dict[str, Any] = media.get("schema", {})
            tag = (operation.get("tags") or ["api"])[0]
            tags.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "location": p["in"],
                            "required": p.get("required", False),
                            "type": _type_of(p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _type_of(first_body) if first_body else "",
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return [{"name": name, "operations": operations} for name, operations in tags.items()]


def _components(schema: dict[str, Any]) -> list[dict[str, Any]]:
    components = []
    for name, component in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(component.get("required", []))
        components.append(
            {
                "name": name,
                "description": component.get("description", ""),
                "enum": component.get("enum", []),
                "properties": [
                    {
                        "name": prop_name,
                        "type": _type_of(prop),
                        "required": prop_name in required,
                        "read_only": prop.get("readOnly", False),
                        "description": prop.get("description", ""),
                    }
                    for prop_name, prop in component.get("properties", {}).items()
                ],
            }
        )
    return components


def _refs(value: Any) -> set[str]:
    """The names of the components a piece of the schema refers to (`$ref`), at any depth."""
    if isinstance(value, dict):
        found = set()
        if isinstance(value.get("$ref"), str):
            found.add(value["$ref"].rsplit("/", 1)[-1])
        for item in value.values():
            found |= _refs(item)
        return found
    if isinstance(value, list):
        return set().union(*(_refs(item) for item in value)) if value else set()
    return set()


def _components_used(schema: dict[str, Any], tag: str) -> set[str]:
    """The components the tag's operations read or write, with those they contain in turn."""
    components = schema.get("components", {}).get("schemas", {})
    wanted: set[str] = set()
    for item in schema.get("paths", {}).values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is not None and (operation.get("tags") or ["api"])[0] == tag:
                wanted |= _refs(operation)
    todo = list(wanted)
    while todo:
        for name in _refs(components.get(todo.pop(), {})) - wanted:
            wanted.add(name)
            todo.append(name)
    return wanted


def api_docs(request: HttpRequest) -> HttpResponse:
    """The API reference's first page: how to start, and the API's resources, each with a page
    of its own (one page of every operation grew too long to read, or to check, at once)."""
    schema = api_schema()
    context = {
        "info": schema.get("info", {}),
        "tags": [
            {"name": tag["name"], "slug": slugify(tag["name"]), "count": len(tag["operations"])}
            for tag in _operations_by_tag(schema)
        ],
    }
    return TemplateResponse(request, "api/docs.html", context)


def api_docs_resource(request: HttpRequest, tag: str) -> HttpResponse:
    """One resource of the API: every operation on it, and the data they read and write."""
    schema = api_schema()
    found = next((t for t in _operations_by_tag(schema) if slugify(t["name"]) == tag), None)
    if found is None:
        raise Http404
    used = _components_used(schema, found["name"])
    context = {
        "info": schema.get("info", {}),
        "tag": found,
        "components": [c for c in _components(schema) if c["name"] in used],
    }
    return TemplateResponse(request, "api/docs_resource.html", context)
