"""Drives crossgate's Gerrit surface with pygerrit2 the way its users do, and prints what it got.

Run by gerrit-pygerrit2.test.ts with Debian's /usr/bin/python3 (python3-pygerrit2 2.0.4). The
base URL is the gateway's /gerrit, as it would be Gerrit's; the credential is the caller's token:
  GATEWAY_GERRIT_URL                   <gateway>/gerrit
  BOB_TOKEN, ALICE_TOKEN, CI_TOKEN     bearer tokens of bob, alice and ci-bot
Prints one JSON object; the test asserts on it.
"""

import json
import os
import sys

from requests.auth import AuthBase, HTTPBasicAuth
from requests.exceptions import HTTPError
from pygerrit2.rest import GerritRestAPI

url = os.environ["GATEWAY_GERRIT_URL"]


class BearerAuth(AuthBase):
    """What a pygerrit2 user writes to send an OAuth bearer token instead of a password."""

    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = "Bearer " + self.token
        return request


def error_of(call):
    try:
        call()
    except HTTPError as error:
        return {
            "status": error.response.status_code,
            "text": error.response.text,
            "contentType": error.response.headers.get("content-type"),
        }
    return None


bob = GerritRestAPI(url=url, auth=BearerAuth(os.environ["BOB_TOKEN"]))
alice = GerritRestAPI(url=url, auth=BearerAuth(os.environ["ALICE_TOKEN"]))
ci = GerritRestAPI(url=url, auth=BearerAuth(os.environ["CI_TOKEN"]))
out = {}

out["version"] = bob.get("/config/server/version")
out["self"] = bob.get("/accounts/self")
out["lists"] = bob.get(
    "/changes/?q=status:open+project:demo&q=project:team/tools&n=3"
    "&o=CURRENT_REVISION&o=CURRENT_COMMIT&o=DETAILED_LABELS&o=SKIP_DIFFSTAT"
)
out["detail"] = bob.get("/changes/demo~4/detail")
out["files"] = bob.get("/changes/demo~1/revisions/current/files/")
out["diff"] = bob.get("/changes/demo~1/revisions/current/files/src%2Froutes.ts/diff")

out["bob_review"] = bob.post(
    "/changes/demo~1/revisions/current/review",
    json={
        "message": "LGTM with a nit",
        "labels": {"Code-Review": 1},
        "comments": {"src/routes.ts": [{"line": 2, "message": "sort imports"}]},
        "reviewers": [{"reviewer": "alice"}],
    },
)
out["bob_plus_two"] = error_of(
    lambda: bob.post(
        "/changes/demo~1/revisions/current/review", json={"labels": {"Code-Review": 2}}
    )
)
out["ci_review"] = ci.post(
    "/changes/demo~5/revisions/current/review", json={"labels": {"Verified": 1}}
)
out["alice_review"] = alice.post(
    "/changes/demo~5/revisions/current/review",
    json={"message": "Ship it", "labels": {"Code-Review": 2}},
)
out["bob_submit"] = error_of(lambda: bob.post("/changes/demo~5/submit", json={}))
out["alice_submit"] = alice.post("/changes/demo~5/submit", json={})
out["projects"] = bob.get("/projects/?d")
out["members"] = bob.get("/groups/Release%20Managers/members/")
out["missing"] = error_of(lambda: bob.get("/changes/demo~4040"))
out["not_listed"] = error_of(lambda: bob.post("/changes/demo~4/abandon", json={}))

basic = GerritRestAPI(url=url, auth=HTTPBasicAuth("bob", os.environ["BOB_TOKEN"]))
out["basic_self"] = basic.get("/accounts/self")
out["basic_wrong_user"] = error_of(
    lambda: GerritRestAPI(
        url=url, auth=HTTPBasicAuth("alice", os.environ["BOB_TOKEN"])
    ).get("/accounts/self")
)

json.dump(out, sys.stdout)
