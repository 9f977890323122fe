"""Verifies a crossgate caller assertion with PyJWT, as docs/cloud-run.md tells a backend to.

usage: python3 verify_assertion.py JWKS_URL ISSUER AUDIENCE < assertion
Prints the verified claims as JSON; on refusal prints the PyJWT error class and exits 1.
"""

import json
import sys

import jwt

jwks_url, issuer, audience = sys.argv[1:4]
token = sys.stdin.read().strip()

# The same calls as the FastAPI dependency in docs/cloud-run.md.
jwks_client = jwt.PyJWKClient(jwks_url, cache_keys=True)
try:
    signing_key = jwks_client.get_signing_key_from_jwt(token)
    claims = jwt.decode(
        token,
        signing_key.key,
        algorithms=["ES256"],
        audience=audience,
        issuer=issuer,
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
    )
except jwt.PyJWTError as error:
    print(type(error).__name__)
    sys.exit(1)
print(json.dumps(claims))
