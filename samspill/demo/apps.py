from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Holds the `demo_data` command; no models."""

    name = "samspill.demo"
