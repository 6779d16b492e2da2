"""Tasks for the tests of background work."""

from django_tasks import task

RAN: list[str] = []


@task()
def note(text: str) -> str:
    RAN.append(text)
    return text


@task()
def fail() -> None:
    raise ValueError("it went wrong")
