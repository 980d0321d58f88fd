"""The traffic bench/load.py puts on the production server: a realistic mix.

Most visitors are anonymous (public pages in three languages, the map's API, the
catalogue, open data); some are recipients signed in, following their journey to an
order; a few are officials working through their queue. Sessions, ids and the order's
key come from bench/load.py in the LOAD_CONTEXT environment variable (JSON). Run
without bench/load.py, only the anonymous visitors and the floor can be used.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

CONTEXT = json.loads(os.environ.get("LOAD_CONTEXT") or "{}")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LANGUAGES = ("ru", "kk", "en")
PUBLIC_PAGES = ("/{lang}/", "/{lang}/plan/", "/{lang}/indicators/", "/{lang}/access/",
                "/{lang}/social-workers/", "/{lang}/organisations/", "/{lang}/plan/measures/{n}/")
# Almaty and Astana at the zoom levels people use.
MAP_VIEWS = ("bbox=76.80,43.15,77.05,43.35&zoom=13", "bbox=71.30,51.05,71.60,51.25&zoom=12",
             "bbox=46.0,40.0,87.0,56.0&zoom=5")


class Visitor(FastHttpUser):
    """Someone reading the public pages and the open data: most of a public service's
    traffic, as on any government portal, where most visitors never sign in."""

    weight = 16
    # Short pauses: 200 simulated people must be able to ask for more than 300 answers a
    # second, or the bench would measure their patience rather than the server.
    wait_time = between(0.1, 0.7)

    @task(6)
    def public_page(self) -> None:
        page = random.choice(PUBLIC_PAGES)
        self.client.get(page.format(lang=random.choice(LANGUAGES), n=random.randint(14, 95)),
                        name=page)

    @task(3)
    def the_map(self) -> None:
        view = random.choice(MAP_VIEWS)
        self.client.get(f"/api/v1/facilities?{view}&lang={random.choice(LANGUAGES)}",
                        name="/api/v1/facilities")

    @task(1)
    def catalogue(self) -> None:
        self.client.get("/api/v1/catalogue/items", name="/api/v1/catalogue/items")

    @task(1)
    def open_data(self) -> None:
        code = random.choice(CONTEXT.get("indicators") or ["1"])
        self.client.get(f"/ru/indicators/{code}/data.csv",
                        name="/{lang}/indicators/{code}/data.csv")


class Recipient(FastHttpUser):
    """A person with an ИПР: their cabinet, an offer, the order form, the order, the card."""

    weight = 3
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.journey = CONTEXT["recipient"]
        self.client.cookiejar.set_cookie(_cookie("sessionid", self.journey["session"]))

    @task(3)
    def cabinet(self) -> None:
        self.client.get("/ru/portal/", name="recipient: cabinet")

    @task(2)
    def offers(self) -> None:
        self.client.get(self.journey["offers"], name="recipient: offers")

    @task(1)
    def order(self) -> None:
        form = self.client.get(self.journey["order_form"], name="recipient: order form")
        match = CSRF_FIELD.search(form.text or "")
        if match is None:
            form.failure("no form on the order page")
            return
        referer = self.journey["base"] + self.journey["order_form"]
        # The same key for every simulated person: the first post places the order, the
        # others get that order back (the idempotent path a double click takes).
        with self.client.post(self.journey["order_form"], name="recipient: place the order",
                              data={"csrfmiddlewaretoken": match.group(1), "quantity": "1",
                                    "delivery": self.journey["delivery"],
                                    "address": self.journey["address"],
                                    "key": self.journey["key"]},
                              headers={"Referer": referer},
                              catch_response=True, allow_redirects=False) as response:
            if response.status_code != 302:
                response.failure(f"order not placed: {response.status_code}")
                return
        self.client.get(response.headers["Location"], name="recipient: the order")

    @task(1)
    def card(self) -> None:
        self.client.get(self.journey["card"], name="recipient: card")


class Official(FastHttpUser):
    """An akimat official working through the region's queue."""

    weight = 1
    wait_time = between(0.2, 1.2)

    def on_start(self) -> None:
        self.client.cookiejar.set_cookie(_cookie("sessionid", CONTEXT["official"]["session"]))

    @task(3)
    def orders(self) -> None:
        self.client.get("/ru/portal/office/", name="official: orders queue")

    @task(1)
    def claims(self) -> None:
        self.client.get("/ru/portal/office/claims/", name="official: claims queue")


class Floor(FastHttpUser):
    """One small static file served by the same server: what no page can beat."""

    weight = 1  # bench/load.py runs it alone, by name
    wait_time = between(0.1, 0.7)

    @task
    def static_file(self) -> None:
        self.client.get(CONTEXT.get("static") or "/favicon.ico", name="static file")


def _cookie(name: str, value: str):
    from http.cookiejar import Cookie

    return Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
                  None, False, None, None, {})
