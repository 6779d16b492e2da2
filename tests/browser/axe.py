"""axe-core in the page: the WCAG checks a screen-reader user would notice first."""

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

# Installed from npm (package.json at the repository root); never fetched from a CDN.
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def blocking_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return the serious and critical violations."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                for summary in node["failureSummary"].splitlines():
                    lines.append(f"        {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = blocking_violations(page)
    assert not violations, (
        f"axe-core found serious or critical problems on {page.url}:\n"
        + describe_violations(violations)
    )
