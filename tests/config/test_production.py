"""Production settings: health check, error pages, body cap, CSP, request ids, `check --deploy`."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from config.logs import JsonFormatter, RequestIdFilter, request_id_var

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker_as_json(client, db) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == body["database"] == body["broker"] == "ok"
    assert isinstance(body["ms"], float)


def test_healthz_says_503_and_names_an_unreachable_broker(client, db, settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {**response.json(), "status": "unavailable", "broker": "unreachable"}
    assert response.json()["database"] == "ok"


@pytest.mark.parametrize(("language", "heading"), [("en", "Page not found"), ("zh-hans", "页面不存在")])
def test_404_is_the_styled_page_in_the_visitors_language(client, db, language, heading) -> None:
    response = client.get("/no-such-page/", headers={"accept-language": language})

    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html
    assert "css/app" in html


def test_500_is_the_styled_page_without_details(client, db, settings) -> None:
    settings.ROOT_URLCONF = "tests.config.urls"
    client.raise_request_exception = False

    response = client.get("/boom/", headers={"accept-language": "en"})

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "a bug" not in html and "Traceback" not in html


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "belongs to a button"), ("zh-hans", "属于页面上的按钮")]
)
def test_a_form_address_opened_as_a_link_says_so_in_the_visitors_language(
    client, candidate, language, heading
) -> None:
    client.force_login(candidate)

    response = client.get(reverse("attempt_finish", args=[1]), headers={"accept-language": language})
    htmx = client.get(reverse("attempt_finish", args=[1]), headers={"HX-Request": "true"})

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert heading in html and "css/app" in html
    assert htmx.status_code == 405 and htmx.content == b""


class _UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def test_a_100_mb_anonymous_post_is_refused_413_without_being_read(client, db) -> None:
    response = client.post(
        reverse("signup"),
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
        **{"wsgi.input": _UnreadableBody()},
    )

    assert response.status_code == 413
    assert response["Connection"] == "close"


def test_a_logged_in_body_may_be_larger_but_is_capped_too(client, candidate, settings) -> None:
    client.force_login(candidate)
    small_for_anonymous = settings.REQUEST_MAX_BYTES_ANONYMOUS + 1

    allowed = client.post(reverse("attempt_list"), CONTENT_LENGTH=str(small_for_anonymous))
    refused = client.post(
        reverse("attempt_list"),
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
        **{"wsgi.input": _UnreadableBody()},
    )

    assert allowed.status_code == 405  # reached the view, which takes GET only
    assert refused.status_code == 413


def test_every_page_has_a_csp_allowing_only_our_own_scripts(client, db) -> None:
    response = client.get(reverse("login"))

    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert csp["script-src"] == "'self'"
    assert csp["img-src"] == "'self' data:"
    assert csp["default-src"] == "'self'"
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_a_request_id_is_made_or_kept_and_returned(client, db) -> None:
    made = client.get("/healthz")
    kept = client.get("/healthz", headers={"x-request-id": "proxy-id-12345"})
    forged = client.get("/healthz", headers={"x-request-id": "<script>"})

    assert len(made["X-Request-ID"]) == 32
    assert kept["X-Request-ID"] == "proxy-id-12345"
    assert forged["X-Request-ID"] != "<script>"


def test_log_lines_are_json_with_the_request_id() -> None:
    record = logging.makeLogRecord({"name": "x", "levelname": "WARNING", "msg": "saved %s", "args": (3,)})
    record.attempt_id = 7
    token = request_id_var.set("abc123")
    try:
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)

    assert line["message"] == "saved 3"
    assert line["request_id"] == "abc123"
    assert line["attempt_id"] == 7
    assert line["level"] == "WARNING"


def test_check_deploy_is_clean_with_https_and_without_debug() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp" * 12,
        "ALLOWED_HOSTS": "mianshi.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_environment_variable_is_in_the_readmes_production_table() -> None:
    source = "\n".join(p.read_text() for p in (ROOT / "config").glob("*.py"))
    names = set(re.findall(r"""env_(?:str|bool|int|float)\(\s*["']([A-Z_]+)["']""", source))
    names |= set(re.findall(r"""os\.environ(?:\.get)?\(\s*["']([A-Z_]+)["']""", source))
    readme = (ROOT / "README.md").read_text().split("## Run in production", 1)[1]

    missing = sorted(name for name in names if f"`{name}`" not in readme)

    assert len(names) > 40
    assert missing == []


def test_the_image_runs_unprivileged_with_collected_files_and_compose_checks_every_service() -> None:
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())

    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert "collectstatic" in dockerfile and "HEALTHCHECK" in dockerfile and "slim" in dockerfile
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    for name in ("postgres", "redis", "worker", "beat"):
        assert "healthcheck" in services[name], name
    assert "--pool threads" in services["worker"]["command"]
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "beat", "judge"}
    # An adopted calibration is written where every app process reads it.
    for name in ("migrate", "web", "worker", "beat"):
        assert "judge:/app/var/judge" in services[name]["volumes"], name
        assert services[name]["environment"]["JUDGE_CALIBRATION_FILE"].startswith("/app/var/judge/"), name
