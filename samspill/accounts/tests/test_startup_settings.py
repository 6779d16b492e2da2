"""Safe defaults (issue 16, finding 6): DEBUG is off unless set, and with DEBUG off the
development SECRET_KEY (or none) refuses to start. Each case imports the settings in a fresh
interpreter with a clean environment, as a server would start."""

import os
import subprocess
import sys

from django.conf import settings

REAL_KEY = "a-real-production-key-with-enough-randomness-0f9e8d7c6b5a4f3e2d1c"
SHOW = (
    "from samspill import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECRET_KEY == s.DEV_SECRET_KEY)"
)


def run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(settings.REPO_DIR),
        "DATABASE_URL": "sqlite:///:memory:",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )


def test_debug_is_off_unless_set_and_cookies_are_then_secure():
    result = run(SHOW, SECRET_KEY=REAL_KEY)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "False"]


def test_without_a_key_and_without_debug_it_refuses_to_start():
    result = run(SHOW)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_the_development_key_is_refused_when_debug_is_off():
    key = run("from samspill import settings as s; print(s.DEV_SECRET_KEY)", DEBUG="1")
    result = run(SHOW, DEBUG="0", SECRET_KEY=key.stdout.strip())

    assert key.returncode == 0, key.stderr
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_debug_on_uses_the_development_key_and_plain_cookies():
    result = run(SHOW, DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "False", "True"]


def test_a_real_key_with_debug_off_passes_the_deploy_check_of_the_key():
    result = run(
        "import sys; from samspill.cli import main; sys.argv = ['samspill', 'check', '--deploy']; "
        "main()",
        DEBUG="0",
        SECRET_KEY=REAL_KEY,
        EMAIL_HOST="smtp.example.org",  # the console backend fails the deploy check (issue 19)
    )

    assert result.returncode == 0, result.stderr
    assert "SECRET_KEY" not in result.stdout + result.stderr


def test_a_test_run_gets_a_throwaway_key_not_the_development_key():
    first = run(SHOW + "; print(s.SECRET_KEY)", PYTEST_VERSION="9")
    second = run(SHOW + "; print(s.SECRET_KEY)", PYTEST_VERSION="9")

    assert first.returncode == 0, first.stderr
    assert first.stdout.split()[:4] == ["False", "True", "True", "False"]
    assert first.stdout.split()[4] != second.stdout.split()[4]
