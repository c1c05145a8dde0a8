"""A tiny OpenID Connect provider for the browser tests: discovery, an authorize endpoint that signs in
whoever the browser's `user` cookie names (set by the test per browser context) without a form, a token
endpoint that returns an RS256 id_token with the nonce and a verified e-mail, and the JWKS. Enough for
Streamlit's st.login (Authlib) to run its real code path: redirect, code exchange, signature check.
Keys and tokens by joserfc (Authlib's own JOSE library, in the lock already)."""
from __future__ import annotations

import http.cookies
import http.server
import json
import secrets
import threading
import time
import urllib.parse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID, CLIENT_SECRET = "reform-dashboard", "test-secret"


class IdP:
    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test"})
        self.codes: dict[str, dict] = {}
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> IdP:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def secrets(self, redirect_uri: str) -> dict:
        """The [auth] table of a dashboard that signs in here."""
        return {"redirect_uri": redirect_uri, "cookie_secret": secrets.token_hex(32), "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET, "server_metadata_url": f"{self.url}/.well-known/openid-configuration"}

    def _handler(self):
        idp = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body: dict, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                q = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/.well-known/openid-configuration":
                    return self._json({"issuer": idp.url, "authorization_endpoint": f"{idp.url}/authorize",
                                       "token_endpoint": f"{idp.url}/token", "jwks_uri": f"{idp.url}/jwks",
                                       "userinfo_endpoint": f"{idp.url}/userinfo",
                                       "response_types_supported": ["code"], "subject_types_supported": ["public"],
                                       "id_token_signing_alg_values_supported": ["RS256"],
                                       "scopes_supported": ["openid", "email", "profile"],
                                       "token_endpoint_auth_methods_supported": ["client_secret_post",
                                                                                 "client_secret_basic"]})
                if url.path == "/jwks":
                    return self._json({"keys": [idp.key.as_dict(private=False)]})
                if url.path == "/authorize":
                    jar = http.cookies.SimpleCookie(self.headers.get("Cookie", ""))
                    email = jar["user"].value if "user" in jar else None
                    if not email:
                        return self._json({"error": "no user cookie set by the test"}, 400)
                    code = secrets.token_urlsafe(16)
                    idp.codes[code] = {"email": email, "nonce": q.get("nonce")}
                    back = f"{q['redirect_uri']}?{urllib.parse.urlencode({'code': code, 'state': q.get('state', '')})}"
                    self.send_response(302)
                    self.send_header("Location", back)
                    self.end_headers()
                    return None
                return self._json({"error": "not found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.path != "/token" or form.get("code") not in idp.codes:
                    return self._json({"error": "invalid_grant"}, 400)
                who = idp.codes.pop(form["code"])
                now = int(time.time())
                claims = {"iss": idp.url, "sub": who["email"], "aud": CLIENT_ID, "iat": now, "exp": now + 3600,
                          "email": who["email"], "email_verified": True, "name": who["email"].split("@")[0]}
                if who["nonce"]:
                    claims["nonce"] = who["nonce"]
                token = jwt.encode({"alg": "RS256", "kid": "test"}, claims, idp.key)
                return self._json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                                   "expires_in": 3600, "id_token": token, "scope": "openid email profile"})

        return Handler
