"""Audit the installed dependencies for known vulnerabilities; exit 1 on any.

Runs pip-audit (PyPI's vulnerability data, `-s pypi`) over this virtualenv, skipping the editable
project itself. pip-audit asks PyPI's per-release JSON (/pypi/NAME/VERSION/json). Where that answers
404 (some PyPI mirrors serve only the per-project JSON), pip-audit would quietly skip the package and
still report "No known vulnerabilities found"; this script instead falls back to the per-project
JSON (/pypi/NAME/json), whose `vulnerabilities` are those of the latest release, and so audits a
package that way only when the installed version *is* the latest. Anything still unaudited is
listed under NOT AUDITED and the closing line says the audit is incomplete: it is never reported
as a clean one. Such a gap (a newer release came out, and this index has no data for the installed
one) fails the run (exit 2) only with --strict: a release made elsewhere must not stop CI, where a
known vulnerability does.
"""

import json
import subprocess
import sys
import tempfile

import requests
from packaging.version import Version

NOT_ON_PYPI = "Dependency not found on PyPI"


def run_pip_audit():
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [
            sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off",
            "--desc", "on", "-f", "json", "-o", out.name,
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode not in (0, 1):
            sys.exit(f"pip-audit failed (exit {result.returncode}):\n{result.stderr}")
        return json.load(open(out.name))["dependencies"]


def latest_release_vulnerabilities(name, version):
    """The project's vulnerabilities if `version` is its latest release, else None (unknown)."""
    response = requests.get(f"https://pypi.org/pypi/{name}/json", timeout=30)
    if response.status_code != 200:
        return None
    project = response.json()
    if Version(project["info"]["version"]) != Version(version):
        return None
    return [
        {
            "id": v["id"],
            "fix_versions": v.get("fixed_in") or [],
            "description": v.get("summary") or "",
        }
        for v in project.get("vulnerabilities", [])
        if not v.get("withdrawn")
    ]


def main():
    found, unaudited, audited = [], [], 0
    for dep in run_pip_audit():
        vulns = dep.get("vulns")
        how = "per-release JSON"
        if "skip_reason" in dep:
            if dep["skip_reason"] == "distribution marked as editable":
                continue
            if not dep["skip_reason"].startswith(NOT_ON_PYPI):
                unaudited.append(f"{dep['name']}: {dep['skip_reason']}")
                continue
            version = dep["skip_reason"].rsplit("(", 1)[1].rstrip(")")
            dep["version"] = version
            vulns = latest_release_vulnerabilities(dep["name"], version)
            how = "per-project JSON (installed version is the latest)"
            if vulns is None:
                unaudited.append(f"{dep['name']} {version}: not the latest release; no data here")
                continue
        audited += 1
        print(f"audited {dep['name']} {dep['version']} via {how}: {len(vulns)} known")
        found += [(dep["name"], dep["version"], v) for v in vulns]

    for name, version, v in found:
        fixes = ", ".join(v["fix_versions"]) or "no fix yet"
        print(f"VULNERABLE {name} {version}: {v['id']} (fixed in {fixes}) {v['description'] or ''}")
    for line in unaudited:
        print(f"NOT AUDITED {line}")
    print(f"{audited} audited, {len(found)} known vulnerabilities, {len(unaudited)} not audited")
    if unaudited:
        print("The audit is INCOMPLETE: update the packages named above, or audit them by hand.")
    if found:
        return 1
    return 2 if unaudited and "--strict" in sys.argv[1:] else 0


if __name__ == "__main__":
    sys.exit(main())
