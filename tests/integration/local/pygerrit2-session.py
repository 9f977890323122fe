"""Drives the Gerrit stand-in with pygerrit2 the way its users do, and prints what it got.

Run by pygerrit2-client.test.ts with Debian's /usr/bin/python3 (python3-pygerrit2 2.0.4):
  GERRIT_URL, GERRIT_USER, GERRIT_PASSWORD  the stand-in and its service account
Prints one JSON object; the test asserts on it.
"""

import json
import os
import sys

from requests.auth import HTTPBasicAuth
from requests.exceptions import HTTPError
from pygerrit2.rest import GerritRestAPI

url = os.environ["GERRIT_URL"]
auth = HTTPBasicAuth(os.environ["GERRIT_USER"], os.environ["GERRIT_PASSWORD"])


def api_as(user):
    api = GerritRestAPI(url=url, auth=auth)
    # pygerrit2 replaces per-call headers with its own: RunAs has to sit on the session.
    api.session.headers["X-Gerrit-RunAs"] = user
    return api


def error_of(call):
    try:
        call()
    except HTTPError as error:
        return {"status": error.response.status_code, "text": error.response.text}
    return None


bob = api_as("bob")
alice = api_as("alice")
ci = api_as("ci-bot")
out = {}

out["version"] = bob.get("/config/server/version")
out["self"] = bob.get("/accounts/self")
out["lists"] = bob.get(
    "/changes/?q=status:open+project:demo&q=project:team/tools&n=3"
    "&o=CURRENT_REVISION&o=CURRENT_COMMIT&o=DETAILED_LABELS&o=SKIP_DIFFSTAT"
)
out["detail"] = bob.get("/changes/demo~1/detail")
out["files"] = bob.get("/changes/demo~1/revisions/current/files/")
out["diff"] = bob.get("/changes/demo~1/revisions/current/files/src%2Froutes.ts/diff")
out["content"] = bob.get("/changes/demo~1/revisions/current/files/src%2Froutes.ts/content")

out["bob_review"] = bob.post(
    "/changes/demo~1/revisions/current/review",
    json={
        "message": "LGTM with a nit",
        "labels": {"Code-Review": 1},
        "comments": {"src/routes.ts": [{"line": 2, "message": "sort imports"}]},
        "reviewers": [{"reviewer": "alice"}],
    },
)
out["bad_comment"] = error_of(
    lambda: bob.post(
        "/changes/demo~1/revisions/current/review",
        json={"comments": {"no/such/file.ts": [{"line": 1, "message": "?"}]}},
    )
)
out["ci_review"] = ci.post(
    "/changes/demo~1/revisions/current/review", json={"labels": {"Verified": 1}}
)
out["alice_review"] = alice.post(
    "/changes/demo~1/revisions/current/review", json={"labels": {"Code-Review": 2}}
)
out["bob_submit"] = error_of(lambda: bob.post("/changes/demo~1/submit", json={}))
out["alice_submit"] = alice.post("/changes/demo~1/submit", json={})
out["projects"] = bob.get("/projects/?d")
out["members"] = bob.get("/groups/Release%20Managers/members/")
out["accounts"] = bob.get("/accounts/?q=name:example&o=DETAILS")
out["missing"] = error_of(lambda: bob.get("/changes/demo~4040"))
out["unknown_runas"] = error_of(lambda: api_as("mallory").get("/accounts/self"))
out["wrong_password"] = error_of(
    lambda: GerritRestAPI(url=url, auth=HTTPBasicAuth("crossgate-svc", "wrong")).get(
        "/accounts/self"
    )
)

json.dump(out, sys.stdout)
