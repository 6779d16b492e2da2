"""The JSON API root: /api/v1/, with its OpenAPI document at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="Samspill API", version="1", urls_namespace="api")
