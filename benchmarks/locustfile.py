"""The pages the load test requests, for each role (run by benchmarks/load.py, which sets NETWORK_FILE
to the network.json that benchmarks/network.py wrote). Each simulated user logs in once, then requests
its role's pages in turn; a request is named "<role> <page>" in the results."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import ClassVar

from locust import HttpUser, between, events, task

NETWORK = json.loads(Path(os.environ["NETWORK_FILE"]).read_text(encoding="utf-8"))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "0"))
_counted = {"n": 0}


@events.request.add_listener
def _stop_after_enough(**_kwargs: object) -> None:
    """The run ends after LOAD_MAX_REQUESTS requests (0: only the run time bounds it)."""
    _counted["n"] += 1
    runner = _environment.runner if _environment else None
    if MAX_REQUESTS and _counted["n"] >= MAX_REQUESTS and runner is not None:
        runner.quit()


_environment = None


@events.init.add_listener
def _keep(environment: object, **_kwargs: object) -> None:
    global _environment
    _environment = environment


def pages(role: str) -> list[tuple[str, str]]:
    opportunity = NETWORK["opportunity"]
    common = [
        ("dashboard", "/dashboard/"),
        ("organisation list", "/organisations/"),
        ("organisation search", "/organisations/?q=Organisation+001&country=SE"),
        ("opportunity list", "/mobility/"),
        ("opportunity search", "/mobility/?q=Generated+offer&country=ES&direction=offer"),
        ("exchange list", "/exchanges/"),
        ("library list", "/library/"),
        ("api organisations", "/api/organisations?limit=50"),
        ("api opportunities", "/api/opportunities?limit=50"),
        ("api exchanges", "/api/exchanges?limit=50"),
    ]
    if role in ("staff", "coordinator"):
        common.append(("suggestions", f"/mobility/{opportunity}/suggestions/"))
    if role in ("case-worker", "coordinator"):
        common += [
            ("participant list", "/participants/"),
            ("participant list overdue", "/participants/?clock=overdue"),
            ("api participants", "/api/participants?limit=50"),
        ]
    return common


class Role(HttpUser):
    abstract = True
    role: ClassVar[str] = ""
    wait_time = between(0, 0)

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name=f"{self.role} login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/accounts/login/",
            data={
                "login": NETWORK["accounts"][self.role],
                "password": NETWORK["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name=f"{self.role} login",
        )
        self.pages = pages(self.role)
        self.next = 0

    @task
    def visit(self) -> None:
        name, path = self.pages[self.next % len(self.pages)]
        self.next += 1
        with self.client.get(path, name=f"{self.role} {name}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/accounts/login/" in response.url:
                response.failure("not logged in")


class Coordinator(Role):
    role = "coordinator"


class OrganisationAdmin(Role):
    role = "org-admin"


class Staff(Role):
    role = "staff"


class CaseWorker(Role):
    role = "case-worker"
