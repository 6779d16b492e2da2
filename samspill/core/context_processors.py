from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def samspill(request: HttpRequest) -> dict[str, Any]:
    return {
        "membership": getattr(request, "membership", None),
        "LANGUAGES": settings.LANGUAGES,
        "today": timezone.localdate(),
    }
