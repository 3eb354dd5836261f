"""A small OpenID Connect provider on 127.0.0.1, as a municipality's identity provider.

Discovery, an authorization endpoint that signs the configured person in at once (there is
no password page to fill: the provider's own login is not what the tests are about), a
token endpoint with client authentication (basic or post) and one-time codes bound to the
client, the redirect URI and the nonce, a JWKS, and ID tokens signed with RS256 by
joserfc (Authlib's own JOSE library). ``sign_with_stranger`` signs with a key the JWKS
does not publish, as a forged token would be.
"""

from __future__ import annotations

import functools
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from ports import free_port
from werkzeug.serving import make_server

CLIENT_ID = "besoksrapport-test"
CLIENT_SECRET = "klienthemlighet-for-testerna"


@functools.cache
def _keys() -> tuple[RSAKey, RSAKey]:
    """The provider's signing key and a stranger's with the same key id (made once: slow)."""
    return (RSAKey.generate_key(2048, parameters={"kid": "nyckel-1", "use": "sig",
                                                  "alg": "RS256"}),
            RSAKey.generate_key(2048, parameters={"kid": "nyckel-1"}))


@dataclass
class Person:
    sub: str = "a1b2c3"
    email: str = "anna.berg@exempelby.se"
    email_verified: bool = True
    name: str = "Anna Berg"


@dataclass
class OidcProvider:
    redirect_uris: list[str] = field(default_factory=list)
    person: Person = field(default_factory=Person)
    sign_with_stranger: bool = False
    port: int = field(default_factory=free_port)
    tokens_issued: int = 0

    def __post_init__(self) -> None:
        self.key, self.stranger = _keys()
        self.codes: dict[str, dict[str, Any]] = {}
        self.server = make_server("127.0.0.1", self.port, self._app(), threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OidcProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(10)

    def __enter__(self) -> OidcProvider:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _id_token(self, client_id: str, nonce: str | None) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": self.person.sub, "aud": client_id, "iat": now,
                  "exp": now + 300, "auth_time": now, "email": self.person.email,
                  "email_verified": self.person.email_verified, "name": self.person.name}
        if nonce is not None:
            claims["nonce"] = nonce
        key = self.stranger if self.sign_with_stranger else self.key
        return jwt.encode({"alg": "RS256", "kid": "nyckel-1"}, claims, key)

    def _client(self) -> str:
        if request.authorization and request.authorization.type == "basic":
            client_id = request.authorization.username
            secret = request.authorization.password
        else:
            client_id = request.form.get("client_id")
            secret = request.form.get("client_secret")
        if client_id != CLIENT_ID or secret != CLIENT_SECRET:
            abort(401)
        return client_id

    def _app(self) -> Flask:
        app = Flask("oidc_provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=self.issuer, authorization_endpoint=self.issuer + "/authorize",
                token_endpoint=self.issuer + "/token", jwks_uri=self.issuer + "/jwks",
                response_types_supported=["code"], subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                scopes_supported=["openid", "email", "profile"],
                token_endpoint_auth_methods_supported=["client_secret_basic",
                                                       "client_secret_post"])

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[self.key.as_dict(private=False)])

        @app.get("/authorize")
        def authorize():
            args = request.args
            if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code" \
                    or "openid" not in args.get("scope", "").split():
                abort(400)
            if args.get("redirect_uri") not in self.redirect_uris:
                abort(400)
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"client_id": CLIENT_ID, "redirect_uri": args["redirect_uri"],
                                "nonce": args.get("nonce")}
            query = {"code": code, "state": args.get("state", "")}
            return redirect(f"{args['redirect_uri']}?{urlencode(query)}")

        @app.post("/token")
        def token():
            client_id = self._client()
            grant = self.codes.pop(request.form.get("code", ""), None)
            if request.form.get("grant_type") != "authorization_code" or grant is None \
                    or grant["client_id"] != client_id \
                    or grant["redirect_uri"] != request.form.get("redirect_uri"):
                return jsonify(error="invalid_grant"), 400
            self.tokens_issued += 1
            return jsonify(access_token=secrets.token_urlsafe(16), token_type="Bearer",
                           expires_in=300, scope="openid email profile",
                           id_token=self._id_token(client_id, grant["nonce"]))

        return app
