"""/favicon.ico, which browsers ask for on every page, is found (it was a 404), and pages link the icon."""

from __future__ import annotations

from django.contrib.staticfiles import finders


def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    assert finders.find("favicon.ico")


def test_pages_link_the_icon(client):
    assert 'rel="icon"' in client.get("/").content.decode()
