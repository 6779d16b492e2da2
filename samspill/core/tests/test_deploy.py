"""The deploy artefacts (deploy/): the entrypoint script run as the image runs it, without a
container engine, and the compose file and Kubernetes manifests checked against what the code
offers (roles of the entrypoint, probe paths, ports, volumes, settings)."""

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.urls import Resolver404, resolve

from samspill.core.tests.serving import (
    REPO,
    copy_of_test_database,
    fetch,
    free_port,
    production_env,
    wait_until_up,
)

DEPLOY = REPO / "deploy"
ENTRYPOINT = DEPLOY / "entrypoint.sh"
KUBERNETES = DEPLOY / "kubernetes"


def roles() -> set[str]:
    """The roles the entrypoint knows: its `case` labels."""
    return set(re.findall(r"^  ([a-z]+)\)$", ENTRYPOINT.read_text(), re.MULTILINE))


def entrypoint(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def entrypoint_env(tmp: Path, **extra: str) -> dict[str, str]:
    # `samspill` is the venv's script, as on the image's PATH; this checkout's code comes first.
    env = production_env(tmp, MIGRATION_WAIT="0", **extra)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


# --- the entrypoint, run directly ----------------------------------------------------------


def test_the_entrypoint_knows_every_role_the_manifests_use() -> None:
    assert {"web", "worker", "scheduler", "migrate"} <= roles()


def test_web_migrate_then_web_serves_on_a_fresh_database(tmp_path: Path) -> None:
    env = entrypoint_env(tmp_path)

    refused = entrypoint("web", env=env)
    assert refused.returncode == 1
    assert "migrate" in refused.stderr

    migrated = entrypoint("migrate", "--verbosity", "0", env=env)
    assert migrated.returncode == 0, migrated.stderr

    port = free_port()
    with (tmp_path / "web.log").open("w") as log:
        web = subprocess.Popen(
            ["sh", str(ENTRYPOINT), "web", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", web)
        assert fetch(f"http://127.0.0.1:{port}/readyz")[0] == 200
    finally:
        web.terminate()
        web.wait(timeout=30)
    # exec: the shell is replaced, so the stop signal reached gunicorn itself.
    assert web.returncode == 0, (tmp_path / "web.log").read_text()


@pytest.fixture(scope="module")
def migrated_database(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker: Any
) -> str:
    # Copied outside any test's transaction: SQLite cannot back up a database mid-transaction.
    with django_db_blocker.unblock():
        return copy_of_test_database(tmp_path_factory.mktemp("deploy"))


@pytest.mark.django_db  # the suite's test database is set up only when a test asks for it
def test_worker_runs_the_task_worker(tmp_path: Path, migrated_database: str) -> None:
    env = entrypoint_env(tmp_path, DATABASE_URL=migrated_database)

    worker = entrypoint("worker", "--batch", "--no-startup-delay", env=env)

    assert worker.returncode == 0, worker.stderr


def test_any_other_command_runs_as_given(tmp_path: Path) -> None:
    result = entrypoint("samspill", "check", "--deploy", env=entrypoint_env(tmp_path))
    # The console e-mail backend is refused in production.
    assert result.returncode != 0
    assert "samspill.E002" in result.stderr


# --- the compose file -------------------------------------------------------------------------


def test_the_compose_file_runs_each_role_through_the_entrypoint() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]

    assert {"postgres", "web", "worker", "scheduler", "migrate"} <= set(services)
    for name in ("web", "worker", "scheduler", "migrate"):
        service = services[name]
        assert service["build"]["dockerfile"] == "deploy/Containerfile"
        assert service["command"][0] in roles()
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
    for name in ("web", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])


# --- the image ----------------------------------------------------------------------------------


def test_the_image_is_multi_stage_non_root_and_runs_the_entrypoint() -> None:
    lines = [line.strip() for line in (DEPLOY / "Containerfile").read_text().splitlines()]
    assert len([line for line in lines if line.startswith("FROM ")]) >= 2
    user = [line for line in lines if line.startswith("USER ")]
    assert user and user[-1] not in {"USER root", "USER 0"}
    assert 'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]' in lines
    assert 'CMD ["web"]' in lines
    for line in lines:
        if line.startswith("COPY ") and "--from=" not in line:
            *sources, _ = line.split()[1:]
            for source in sources:
                assert (REPO / source).exists(), f"{source} is not in the repository"


# --- the Kubernetes manifests: a schema check of our own --------------------------------------

REQUIRED: dict[str, list[str]] = {
    "Deployment": ["spec.selector.matchLabels", "spec.template.metadata.labels",
                   "spec.template.spec.containers"],
    "Job": ["spec.template.spec.containers", "spec.template.spec.restartPolicy"],
    "Service": ["spec.selector", "spec.ports"],
    "ConfigMap": ["data"],
    "PersistentVolumeClaim": ["spec.accessModes", "spec.resources.requests.storage"],
}  # fmt: skip
API_VERSIONS = {
    "Deployment": "apps/v1",
    "Job": "batch/v1",
    "Service": "v1",
    "ConfigMap": "v1",
    "PersistentVolumeClaim": "v1",
}
DNS_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def manifests() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    docs = []
    for resource in kustomization["resources"]:
        docs += [doc for doc in yaml.safe_load_all((KUBERNETES / resource).read_text()) if doc]
    return docs


def dig(doc: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        if not isinstance(doc, dict) or key not in doc:
            raise KeyError(path)
        doc = doc[key]
    return doc


def pod_specs(docs: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (doc["metadata"]["name"], doc["spec"]["template"]["spec"])
        for doc in docs
        if doc["kind"] in {"Deployment", "Job"}
    ]


def schema_problems(docs: list[dict[str, Any]]) -> list[str]:
    """What `kubectl apply` would refuse or what would not work: missing fields, wrong API
    versions, names, selectors that match no pod, probes on paths Samspill does not serve,
    ports, volumes, config and claims that are not there, roles the entrypoint lacks."""
    problems: list[str] = []
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        kind, name = str(doc.get("kind")), doc.get("metadata", {}).get("name", "")
        by_kind.setdefault(kind, []).append(doc)
        if kind not in REQUIRED:
            problems.append(f"{name}: unknown kind {kind}")
            continue
        if doc.get("apiVersion") != API_VERSIONS[kind]:
            problems.append(f"{name}: apiVersion {doc.get('apiVersion')} for {kind}")
        if not DNS_NAME.match(name):
            problems.append(f"{kind} name {name!r} is not a DNS-1123 name")
        for path in REQUIRED[kind]:
            try:
                dig(doc, path)
            except KeyError:
                problems.append(f"{name}: missing {path}")
    if problems:
        return problems

    config_maps = {doc["metadata"]["name"] for doc in by_kind.get("ConfigMap", [])}
    claims = {doc["metadata"]["name"] for doc in by_kind.get("PersistentVolumeClaim", [])}
    for doc in by_kind.get("Deployment", []):
        selector = doc["spec"]["selector"]["matchLabels"]
        labels = doc["spec"]["template"]["metadata"]["labels"]
        if not selector.items() <= labels.items():
            problems.append(f"{doc['metadata']['name']}: the selector matches none of its pods")
    for doc in by_kind.get("Job", []):
        if doc["spec"]["template"]["spec"]["restartPolicy"] not in {"Never", "OnFailure"}:
            problems.append(f"{doc['metadata']['name']}: a Job restarts Never or OnFailure")
    for name, spec in pod_specs(docs):
        volumes = {volume["name"]: volume for volume in spec.get("volumes", [])}
        for volume in volumes.values():
            claim = volume.get("persistentVolumeClaim", {}).get("claimName")
            if claim and claim not in claims:
                problems.append(f"{name}: no claim {claim}")
        for container in spec["containers"]:
            where = f"{name}/{container.get('name')}"
            for field in ("name", "image"):
                if not container.get(field):
                    problems.append(f"{where}: missing {field}")
            args = container.get("args") or []
            if not args or args[0] not in roles():
                problems.append(f"{where}: {args[:1]} is not a role of deploy/entrypoint.sh")
            ports = {port["name"]: port["containerPort"] for port in container.get("ports", [])}
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                if probe not in container:
                    continue
                http = container[probe].get("httpGet", {})
                try:
                    resolve(http.get("path", ""))
                except Resolver404:
                    problems.append(f"{where}: {probe} asks {http.get('path')}, not served")
                if http.get("port") not in ports and http.get("port") not in ports.values():
                    problems.append(f"{where}: {probe} on port {http.get('port')}, not opened")
            for mount in container.get("volumeMounts", []):
                if mount["name"] not in volumes:
                    problems.append(f"{where}: mounts {mount['name']}, no such volume")
            for source in container.get("envFrom", []):
                ref = source.get("configMapRef", {}).get("name")
                if ref and ref not in config_maps:
                    problems.append(f"{where}: no ConfigMap {ref}")
    pods = [doc["spec"]["template"] for doc in by_kind.get("Deployment", [])]
    for service in by_kind.get("Service", []):
        selector = service["spec"]["selector"]
        matched = [pod for pod in pods if selector.items() <= pod["metadata"]["labels"].items()]
        if not matched:
            problems.append(f"{service['metadata']['name']}: the selector matches no pod")
        port_names = {
            port.get("name")
            for pod in matched
            for container in pod["spec"]["containers"]
            for port in container.get("ports", [])
        }
        for port in service["spec"]["ports"]:
            if isinstance(port["targetPort"], str) and port["targetPort"] not in port_names:
                problems.append(f"{service['metadata']['name']}: no port {port['targetPort']}")
    return problems


def test_the_kubernetes_manifests_pass_the_schema_check() -> None:
    docs = manifests()
    assert schema_problems(docs) == []
    kinds = {(doc["kind"], doc["metadata"]["name"]) for doc in docs}
    assert {("Deployment", "samspill-web"), ("Deployment", "samspill-worker")} <= kinds
    assert {("Job", "samspill-migrate"), ("Service", "samspill-web")} <= kinds


def test_the_web_probes_ask_healthz_and_readyz() -> None:
    [web] = [
        d
        for d in manifests()
        if d["metadata"]["name"] == "samspill-web" and "replicas" in d["spec"]
    ]
    [container] = web["spec"]["template"]["spec"]["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["args"] == ["web"]


def test_the_schema_check_finds_what_is_wrong() -> None:
    docs = manifests()
    [web] = [
        d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "samspill-web"
    ]
    container = web["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbe"]["httpGet"]["path"] = "/ready"
    container["args"] = ["serve-everything"]
    web["spec"]["selector"]["matchLabels"] = {"app": "other"}
    del web["spec"]["template"]["spec"]["volumes"]

    problems = schema_problems(docs)

    assert any("/ready, not served" in p for p in problems)
    assert any("not a role" in p for p in problems)
    assert any("selector matches none" in p for p in problems)
    assert any("no such volume" in p for p in problems)


@pytest.mark.parametrize("key", ["ALLOWED_HOSTS", "SITE_URL", "BEHIND_TLS_PROXY", "EMAIL_HOST"])
def test_the_config_map_sets_production_settings(key: str) -> None:
    [config] = [doc for doc in manifests() if doc["kind"] == "ConfigMap"]
    assert key in config["data"]
