"""The API's documentation as an ordinary accessible page, built from the OpenAPI schema.

Each endpoint gets a description, its parameters and a form that calls it: the form sends
its fields to `try_endpoint`, which fills the path parameters and redirects to the
endpoint, so anyone can try the API with a keyboard and a screen reader, without scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tendik.api.api import api

PREFIX = "/api/v1/"


@dataclass
class Parameter:
    name: str
    location: str
    required: bool
    type: str
    choices: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class Endpoint:
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    tag: str
    public: bool
    parameters: list[Parameter]

    @property
    def anchor(self) -> str:
        return self.operation_id.replace("_", "-")

    def curl(self, site: str) -> str:
        auth = "" if self.public else ' -H "Authorization: Bearer $TENDIK_TOKEN"'
        return f"curl{auth} '{site}{self.path}'"


def resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return resolve(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for option in schema.get("anyOf", []):
        resolved = resolve(option, components)
        if resolved.get("type") != "null":
            return resolved
    return schema


def endpoints() -> list[Endpoint]:
    schema = api.get_openapi_schema(path_prefix=PREFIX)
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            parameters = []
            for parameter in operation.get("parameters", []):
                resolved = resolve(parameter.get("schema", {}), components)
                parameters.append(Parameter(
                    name=parameter["name"], location=parameter["in"],
                    required=bool(parameter.get("required")),
                    type=resolved.get("type", "string"),
                    choices=[str(c) for c in resolved.get("enum", [])],
                    description=parameter.get("description", "")))
            found.append(Endpoint(
                operation_id=operation["operationId"], method=method.upper(), path=path,
                summary=operation.get("summary", ""),
                description=operation.get("description", ""),
                tag=(operation.get("tags") or [""])[0],
                public={} in operation.get("security", [{}]),
                parameters=parameters))
    return found


def reference(request: HttpRequest) -> HttpResponse:
    site = request.build_absolute_uri("/").rstrip("/")
    tags: dict[str, list[tuple[Endpoint, str]]] = {}
    for endpoint in endpoints():
        tags.setdefault(endpoint.tag, []).append((endpoint, endpoint.curl(site)))
    return render(request, "api/reference.html", {
        "tags": tags, "schema_url": f"{PREFIX}openapi.json",
    })


def try_endpoint(request: HttpRequest, operation_id: str) -> HttpResponse:
    endpoint = next((e for e in endpoints() if e.operation_id == operation_id), None)
    if endpoint is None or endpoint.method != "GET":
        raise Http404
    path = endpoint.path
    query = []
    for parameter in endpoint.parameters:
        value = request.GET.get(parameter.name, "").strip()
        if parameter.location == "path":
            path = path.replace("{" + parameter.name + "}", quote(value or "-", safe=""))
        elif value:
            query.append((parameter.name, value))
    return redirect(path + (f"?{urlencode(query)}" if query else ""))
