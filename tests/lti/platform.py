"""A stand-in LMS speaking LTI 1.3 and LTI Advantage over real HTTP, for the tool's tests.

It signs id_tokens with its own RSA key, checks what the tool signs against the tool's
JWKS fetched over HTTP, and keeps everything it receives in memory for tests to assert on.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
ADMINISTRATOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator"

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DEPLOYMENT_ID = LTI + "deployment_id"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
RESOURCE_LINK = LTI + "resource_link"
TARGET_LINK_URI = LTI + "target_link_uri"
CUSTOM = LTI + "custom"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
DEEP_LINKING_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_SERVICE = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"

SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
AGS_SCOPES = [SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE]

LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def generate_key() -> rsa.RSAPrivateKey:
    """Return a fresh RSA 2048 private key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: rsa.RSAPrivateKey) -> str:
    """Return the private key as PKCS#8 PEM text."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(key: rsa.RSAPrivateKey) -> str:
    """Return the public half of the key as PEM text."""
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict:
    """Return the public half of the key as a JWK carrying kid, alg and use."""
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


@dataclass
class Person:
    """A user of the LMS, enrolled in a course."""

    sub: str
    name: str
    roles: list[str]
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    status: str = "Active"


@dataclass
class Course:
    """A course offering; members are the subs on its roster, in order."""

    id: str
    title: str
    label: str
    members: list[str] = field(default_factory=list)


@dataclass
class ResourceLink:
    """A placement of the tool in a course; line_item is the line item's URL."""

    id: str
    course_id: str
    title: str
    url: str | None = None
    custom: dict = field(default_factory=dict)
    line_item: str | None = None


@dataclass
class Launch:
    """A pending launch, stored under its lti_message_hint."""

    hint: str
    sub: str
    course_id: str
    message: str
    resource_link_id: str | None
    data: str | None


@dataclass
class Tool:
    """The tool as registered on the platform."""

    login_url: str
    launch_url: str
    jwks_url: str | None
    jwks: dict | None


@dataclass(frozen=True)
class IdToken:
    """An id_token the platform issued, with its claims."""

    token: str
    claims: dict
    state: str


@dataclass(frozen=True)
class Score:
    """A score the tool posted and the platform accepted."""

    line_item: str
    user_id: str
    score_given: float | None
    score_maximum: float | None
    activity_progress: str
    grading_progress: str
    timestamp: str
    body: dict


@dataclass(frozen=True)
class Received:
    """A request the platform received, whatever its outcome."""

    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class _Request:
    method: str
    path: str
    query: dict
    headers: Message
    body: bytes

    def form(self) -> dict:
        return dict(parse_qsl(self.body.decode()))

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise _HttpError(400, f"body is not JSON: {error}") from error


class _HttpError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _OAuthError(Exception):
    def __init__(self, code: str, description: str):
        super().__init__(description)
        self.code = code


_Response = tuple[int, dict, str]


def _text(status: int, text: str) -> _Response:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, text


def _json(status: int, data, content_type: str = "application/json", **headers) -> _Response:
    return status, {"Content-Type": content_type, **headers}, json.dumps(data)


def _check_line_item(data: dict) -> None:
    if not isinstance(data, dict) or not data.get("label"):
        raise ValueError("a line item needs a label")
    if not isinstance(data.get("scoreMaximum"), int | float) or data["scoreMaximum"] <= 0:
        raise ValueError("a line item needs a positive numeric scoreMaximum")


def _page(body: str) -> _Response:
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f"<title>Simulated LMS</title></head><body>{body}</body></html>"
    )
    return 200, {"Content-Type": "text/html; charset=utf-8"}, document


class Platform:
    """An LMS on 127.0.0.1 that launches the tool and serves AGS and NRPS over real HTTP."""

    def __init__(self, client_id: str = "sourcewise-tool", deployment_id: str = "deployment-1"):
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.key = generate_key()
        self.kid = f"platform-{secrets.token_hex(4)}"
        self.guid = str(uuid.uuid4())
        self.base_url = self.issuer = self.auth_url = self.token_url = self.keyset_url = None
        self.page_size: int | None = None
        self.courses: dict[str, Course] = {}
        self.people: dict[str, Person] = {}
        self.launches: dict[str, Launch] = {}
        self.resource_links: list[ResourceLink] = []
        self.line_items: list[dict] = []
        self.id_tokens: list[IdToken] = []
        self.access_tokens: dict[str, list[str]] = {}
        self.scores: list[Score] = []
        self.deep_link_responses: list[dict] = []
        self.received: list[Received] = []
        self._tool: Tool | None = None
        self._used_jtis: set[str] = set()
        self._used_nonces: set[str] = set()
        self._failures: list[int] = []
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle

    def start(self) -> Platform:
        """Listen on a free port of 127.0.0.1 in a daemon thread."""
        handler = type("Handler", (_Handler,), {"platform": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.base_url = self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self.auth_url = self.base_url + "/auth"
        self.token_url = self.base_url + "/token"
        self.keyset_url = self.base_url + "/jwks"
        # A short poll keeps stop() quick: shutdown() waits for the loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and wait for the server thread."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None

    def __enter__(self) -> Platform:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # Setup by tests

    def registration_values(self) -> dict:
        """Return what an admin types into the tool's registration page."""
        return {
            "issuer": self.issuer,
            "client_id": self.client_id,
            "auth_url": self.auth_url,
            "token_url": self.token_url,
            "keyset_url": self.keyset_url,
            "deployment_id": self.deployment_id,
        }

    def tool(
        self, *, login_url: str, launch_url: str, jwks_url: str | None = None, jwks=None
    ) -> Tool:
        """Register the tool; its keys come from jwks_url, or from a fixed jwks without a server."""
        if (jwks_url is None) == (jwks is None):
            raise ValueError("give exactly one of jwks_url and jwks")
        self._tool = Tool(login_url, launch_url, jwks_url, jwks)
        return self._tool

    def course(
        self, id: str = "course-1", title: str = "Year 9 Media Literacy", label: str = "MEDIA9"
    ) -> Course:
        """Add a course; the first one added is the default for people and launches."""
        with self._lock:
            self.courses[id] = Course(id, title, label)
            return self.courses[id]

    def person(
        self,
        sub: str,
        name: str,
        roles: list[str],
        given_name: str | None = None,
        family_name: str | None = None,
        email: str | None = None,
        *,
        status: str = "Active",
        course_id: str | None = None,
    ) -> Person:
        """Add a person and enrol them in the course (the default course unless named)."""
        with self._lock:
            person = Person(sub, name, list(roles), given_name, family_name, email, status)
            self.people[sub] = person
            members = self._course(course_id).members
            if sub not in members:
                members.append(sub)
            return person

    def add_members(
        self, count: int, *, roles=(LEARNER,), course_id: str | None = None
    ) -> list[Person]:
        """Enrol count more people (member-N) who exist only on the roster."""
        start = sum(sub.startswith("member-") for sub in self.people) + 1
        return [
            self.person(
                f"member-{n}",
                f"Member {n}",
                list(roles),
                given_name="Member",
                family_name=str(n),
                email=f"member-{n}@school.example",
                course_id=course_id,
            )
            for n in range(start, start + count)
        ]

    def resource_link(
        self,
        title: str = "Sourcewise",
        *,
        id: str | None = None,
        url: str | None = None,
        custom: dict | None = None,
        course_id: str | None = None,
        line_item: dict | None = None,
    ) -> ResourceLink:
        """Place a link to the tool in a course, with a line item if given {scoreMaximum, ...}."""
        with self._lock:
            course = self._course(course_id)
            link_id = id or f"link-{len(self.resource_links) + 1}"
            link = ResourceLink(link_id, course.id, title, url, dict(custom or {}))
            self.resource_links.append(link)
            if line_item is not None:
                item = self._create_line_item(course.id, {**line_item, "resourceLinkId": link_id})
                link.line_item = item["id"]
            return link

    def fail_next(self, n: int, status: int = 503) -> None:
        """Make the next n score posts fail with the status, as a platform that is down."""
        with self._lock:
            self._failures = [status] * n

    def latest_score(self, sub: str, line_item: str | None = None) -> Score | None:
        """Return the last score accepted for the person, on any or on the given line item."""
        with self._lock:
            for score in reversed(self.scores):
                if score.user_id == sub and line_item in (None, score.line_item):
                    return score
        return None

    # Launching

    def login_params(
        self,
        person_sub: str,
        *,
        message: str = "resource",
        resource_link_id: str | None = None,
        course_id: str | None = None,
    ) -> dict:
        """Store a pending launch and return the params of the third-party initiated login.

        A resource launch without resource_link_id uses the course's latest link, placing one
        when the course has none.
        """
        if message not in ("resource", "deep_link"):
            raise ValueError("message is 'resource' or 'deep_link'")
        tool = self._require_tool()
        with self._lock:
            if person_sub not in self.people:
                raise ValueError(f"unknown person {person_sub!r}")
            link = None
            if message == "resource":
                link = (
                    self._link(resource_link_id)
                    if resource_link_id
                    else self._latest_link(course_id)
                )
                course_id = link.course_id
            course_id = self._course(course_id).id
            data = f"deep-link-{secrets.token_urlsafe(8)}" if message == "deep_link" else None
            hint = f"launch-{secrets.token_urlsafe(12)}"
            self.launches[hint] = Launch(
                hint, person_sub, course_id, message, link.id if link else None, data
            )
        return {
            "iss": self.issuer,
            "login_hint": person_sub,
            "target_link_uri": (link and link.url) or tool.launch_url,
            "lti_message_hint": hint,
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }

    def login_url_for(self, person_sub: str, **kwargs) -> str:
        """Return the tool's login initiation URL with fresh login params, for an iframe."""
        return (
            self._require_tool().login_url
            + "?"
            + urlencode(self.login_params(person_sub, **kwargs))
        )

    def authorize(
        self,
        auth_request_url: str,
        *,
        claims: dict | None = None,
        sign_with: rsa.RSAPrivateKey | None = None,
        expires_in: int = 300,
    ) -> tuple[str, dict]:
        """Answer the tool's authentication request URL as /auth does: (action, form fields).

        To forge a token: claims override (None removes a claim), sign_with another key,
        expires_in negative. Raises ValueError saying what is wrong with the request.
        """
        parts = urlsplit(auth_request_url)
        if f"{parts.scheme}://{parts.netloc}{parts.path}" != self.auth_url:
            raise ValueError(f"{auth_request_url} is not this platform's auth URL")
        params = dict(parse_qsl(parts.query))
        return self._authorize(params, claims=claims, sign_with=sign_with, expires_in=expires_in)

    def _authorize(self, params: dict, *, claims=None, sign_with=None, expires_in=300):
        expected = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": self.client_id,
        }
        for name, value in expected.items():
            if params.get(name) != value:
                raise ValueError(f"{name} must be {value!r}, got {params.get(name)!r}")
        tool = self._require_tool()
        if params.get("redirect_uri") != tool.launch_url:
            raise ValueError(f"redirect_uri {params.get('redirect_uri')!r} is not the launch URL")
        for name in ("state", "nonce", "lti_message_hint"):
            if not params.get(name):
                raise ValueError(f"{name} is missing")
        with self._lock:
            launch = self.launches.get(params["lti_message_hint"])
            if launch is None:
                raise ValueError("lti_message_hint is unknown")
            if params.get("login_hint") != launch.sub:
                raise ValueError("login_hint does not match the launch's person")
            payload = self._id_token_claims(launch, params["nonce"], expires_in)
        for name, value in (claims or {}).items():
            if value is None:
                payload.pop(name, None)
            else:
                payload[name] = value
        token = jwt.encode(
            payload, sign_with or self.key, algorithm="RS256", headers={"kid": self.kid}
        )
        with self._lock:
            self.id_tokens.append(IdToken(token, payload, params["state"]))
        return params["redirect_uri"], {"id_token": token, "state": params["state"]}

    def _id_token_claims(self, launch: Launch, nonce: str, expires_in: int) -> dict:
        person, course = self.people[launch.sub], self.courses[launch.course_id]
        now = int(time.time())
        courses_url = f"{self.base_url}/courses/{course.id}"
        ags = {"scope": list(AGS_SCOPES), "lineitems": courses_url + "/lineitems"}
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": person.sub,
            "exp": now + expires_in,
            "iat": now,
            "nonce": nonce,
            "name": person.name,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "email": person.email,
            DEPLOYMENT_ID: self.deployment_id,
            VERSION: "1.3.0",
            ROLES: person.roles,
            CONTEXT: {
                "id": course.id,
                "label": course.label,
                "title": course.title,
                "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
            },
            TARGET_LINK_URI: self._tool.launch_url,
            LTI + "tool_platform": {
                "guid": self.guid,
                "name": "Simulated LMS",
                "product_family_code": "sourcewise-simulator",
            },
            LTI + "launch_presentation": {
                "document_target": "iframe",
                "return_url": f"{courses_url}/view?{urlencode({'user': person.sub})}",
            },
            AGS_ENDPOINT: ags,
            NRPS_SERVICE: {
                "context_memberships_url": courses_url + "/memberships",
                "service_versions": ["2.0"],
            },
        }
        if launch.message == "resource":
            link = self._link(launch.resource_link_id)
            claims[MESSAGE_TYPE] = "LtiResourceLinkRequest"
            claims[RESOURCE_LINK] = {"id": link.id, "title": link.title}
            claims[TARGET_LINK_URI] = link.url or self._tool.launch_url
            if link.custom:
                claims[CUSTOM] = link.custom
            if link.line_item:
                ags["lineitem"] = link.line_item
        else:
            claims[MESSAGE_TYPE] = "LtiDeepLinkingRequest"
            claims[DEEP_LINKING_SETTINGS] = {
                "deep_link_return_url": self.base_url + "/deep_link_return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
                "auto_create": True,
                "data": launch.data,
            }
        return {name: value for name, value in claims.items() if value is not None}

    def deep_link_return(self, response_jwt: str) -> list[ResourceLink]:
        """Check the tool's deep-linking response and place its items, as /deep_link_return does."""
        claims = self._verify_tool_jwt(response_jwt, audience=self.issuer)
        if not claims.get("nonce"):
            raise ValueError("nonce is missing")
        if claims.get(MESSAGE_TYPE) != "LtiDeepLinkingResponse":
            raise ValueError(f"message_type {claims.get(MESSAGE_TYPE)!r} is not a response")
        if claims.get(VERSION) != "1.3.0":
            raise ValueError(f"version {claims.get(VERSION)!r} is not 1.3.0")
        if claims.get(DEPLOYMENT_ID) != self.deployment_id:
            raise ValueError(f"deployment_id {claims.get(DEPLOYMENT_ID)!r} is unknown")
        items = claims.get(CONTENT_ITEMS) or []
        if len(items) > 1:
            raise ValueError("accept_multiple was false, got several content items")
        if any(item.get("type") != "ltiResourceLink" for item in items):
            raise ValueError("only ltiResourceLink content items are accepted")
        for item in items:
            if "lineItem" in item:
                # A line item without a label takes the content item's title (Deep Linking 2.0).
                item["lineItem"] = {"label": item.get("title"), **item["lineItem"]}
                _check_line_item(item["lineItem"])
        with self._lock:
            data = claims.get(DEEP_LINKING_DATA)
            launch = next((x for x in self.launches.values() if data and x.data == data), None)
            if launch is None:
                raise ValueError("data does not echo a deep-linking request")
            if claims["nonce"] in self._used_nonces:
                raise ValueError("nonce was already used")
            self._used_nonces.add(claims["nonce"])
            self.deep_link_responses.append(claims)
            return [
                self.resource_link(
                    item.get("title") or "Sourcewise",
                    url=item.get("url"),
                    custom=item.get("custom"),
                    course_id=launch.course_id,
                    line_item=item.get("lineItem"),
                )
                for item in items
            ]

    # HTTP endpoints

    def _handle(self, request: _Request) -> _Response:
        with self._lock:
            self.received.append(
                Received(request.method, request.path, dict(request.headers), request.body)
            )
        allowed = []
        for methods, pattern, name in _ROUTES:
            match = re.fullmatch(pattern, request.path)
            if match and request.method in methods:
                endpoint, args = getattr(self, name), match.groups()
                break
            if match:
                allowed += methods
        else:
            return _text(405, "method not allowed") if allowed else _text(404, "not found")
        try:
            return endpoint(request, *args)
        except _HttpError as error:
            return _text(error.status, str(error))
        except Exception:
            # A bug here must show in the tool's test as a readable 500, not a dropped connection.
            return _text(500, traceback.format_exc())

    def _jwks_endpoint(self, request: _Request) -> _Response:
        return _json(200, {"keys": [public_jwk(self.key, self.kid)]})

    def _auth_endpoint(self, request: _Request) -> _Response:
        params = request.query if request.method == "GET" else request.form()
        try:
            action, fields = self._authorize(params)
        except ValueError as error:
            return _text(400, str(error))
        inputs = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
            for name, value in fields.items()
        )
        return _page(
            f'<form method="post" action="{html.escape(action)}">{inputs}'
            '<button type="submit">Continue to Sourcewise</button></form>'
            "<script>document.forms[0].submit();</script>"
        )

    def _deep_link_return_endpoint(self, request: _Request) -> _Response:
        try:
            links = self.deep_link_return(request.form().get("JWT", ""))
        except ValueError as error:
            return _text(400, str(error))
        titles = ", ".join(html.escape(link.title) for link in links)
        return _page(f"<p>Placed: {titles}</p>" if links else "<p>Nothing placed</p>")

    def _token_endpoint(self, request: _Request) -> _Response:
        form = request.form()
        try:
            if form.get("grant_type") != "client_credentials":
                raise _OAuthError("unsupported_grant_type", "grant_type is client_credentials")
            if form.get("client_assertion_type") != JWT_BEARER:
                raise _OAuthError("invalid_client", f"client_assertion_type is {JWT_BEARER}")
            try:
                claims = self._verify_tool_jwt(
                    form.get("client_assertion", ""), audience=self.token_url, require=["jti"]
                )
            except ValueError as error:
                raise _OAuthError("invalid_client", str(error)) from error
            if claims.get("sub") != self.client_id:
                raise _OAuthError("invalid_client", "sub is not the client_id")
            known = {*AGS_SCOPES, SCOPE_NRPS}
            scopes = [scope for scope in form.get("scope", "").split() if scope in known]
            if not scopes:
                raise _OAuthError("invalid_scope", "no known scope requested")
            with self._lock:
                if claims["jti"] in self._used_jtis:
                    raise _OAuthError("invalid_grant", "jti was already used")
                self._used_jtis.add(claims["jti"])
                token = secrets.token_urlsafe(24)
                self.access_tokens[token] = scopes
        except _OAuthError as error:
            return _json(400, {"error": error.code, "error_description": str(error)})
        return _json(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": " ".join(scopes),
            },
        )

    def _course_view(self, request: _Request, course_id: str) -> _Response:
        return self._framed_tool(request, course_id, "resource")

    def _course_deep_link(self, request: _Request, course_id: str) -> _Response:
        return self._framed_tool(request, course_id, "deep_link")

    def _framed_tool(self, request: _Request, course_id: str, message: str) -> _Response:
        course = self._course_or_404(course_id)
        link_id = request.query.get("link") if message == "resource" else None
        try:
            src = self.login_url_for(
                request.query.get("user", ""),
                message=message,
                resource_link_id=link_id,
                course_id=course_id,
            )
        except (ValueError, KeyError) as error:
            raise _HttpError(400, str(error)) from error
        return _page(
            f"<h1>{html.escape(course.title)}</h1>"
            f'<iframe title="Sourcewise" src="{html.escape(src)}" width="100%" height="800"'
            ' allow="clipboard-write; fullscreen"></iframe>'
        )

    def _memberships(self, request: _Request, course_id: str) -> _Response:
        self._require_scope(request, SCOPE_NRPS)
        course = self._course_or_404(course_id)
        url = f"{self.base_url}/courses/{course.id}/memberships"
        with self._lock:
            members = [self._member(self.people[sub]) for sub in course.members]
        headers = {}
        if self.page_size:
            # pylti1p3 lower-cases the Link header before reading it: keep these URLs lower-case.
            page = int(request.query.get("page", "1"))
            start = (page - 1) * self.page_size
            if start + self.page_size < len(members):
                headers["Link"] = f'<{url}?page={page + 1}>; rel="next"'
            members = members[start : start + self.page_size]
        body = {
            "id": url,
            "context": {"id": course.id, "label": course.label, "title": course.title},
            "members": members,
        }
        return _json(200, body, MEMBERSHIPS_TYPE, **headers)

    @staticmethod
    def _member(person: Person) -> dict:
        member = {
            "status": person.status,
            "name": person.name,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "email": person.email,
            "user_id": person.sub,
            "roles": person.roles,
        }
        return {name: value for name, value in member.items() if value is not None}

    def _line_items(self, request: _Request, course_id: str) -> _Response:
        self._require_scope(request, SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY)
        self._course_or_404(course_id)
        filters = {
            "resourceLinkId": request.query.get("resource_link_id"),
            "resourceId": request.query.get("resource_id"),
            "tag": request.query.get("tag"),
        }
        prefix = f"{self.base_url}/courses/{course_id}/lineitems/"
        with self._lock:
            items = [
                item
                for item in self.line_items
                if item["id"].startswith(prefix)
                and all(value is None or item.get(k) == value for k, value in filters.items())
            ]
        return _json(200, items, LINEITEMS_TYPE)

    def _line_item_create(self, request: _Request, course_id: str) -> _Response:
        self._require_scope(request, SCOPE_LINEITEM)
        self._require_content_type(request, LINEITEM_TYPE)
        self._course_or_404(course_id)
        try:
            with self._lock:
                item = self._create_line_item(course_id, request.json())
        except ValueError as error:
            raise _HttpError(400, str(error)) from error
        return _json(201, item, LINEITEM_TYPE)

    def _line_item(self, request: _Request, course_id: str, number: str) -> _Response:
        self._require_scope(request, SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY)
        return _json(200, self._line_item_or_404(course_id, number), LINEITEM_TYPE)

    def _score(self, request: _Request, course_id: str, number: str) -> _Response:
        with self._lock:
            status = self._failures.pop() if self._failures else None
        if status is not None:
            return _text(status, "the platform is unavailable")
        self._require_scope(request, SCOPE_SCORE)
        self._require_content_type(request, SCORE_TYPE)
        item = self._line_item_or_404(course_id, number)
        body = request.json()
        if not isinstance(body, dict):
            raise _HttpError(400, "a score is a JSON object")
        for name in ("userId", "activityProgress", "gradingProgress", "timestamp"):
            if not body.get(name):
                raise _HttpError(400, f"{name} is missing")
        if body.get("scoreGiven") is not None and body.get("scoreMaximum") is None:
            raise _HttpError(400, "scoreMaximum is missing")
        if body["userId"] not in self.courses[course_id].members:
            raise _HttpError(422, f"userId {body['userId']!r} is not a member of the course")
        try:
            timestamp = datetime.fromisoformat(body["timestamp"])
        except (TypeError, ValueError) as error:
            raise _HttpError(400, "timestamp is not ISO 8601") from error
        if timestamp.tzinfo is None:
            raise _HttpError(400, "timestamp has no time zone")
        score = Score(
            item["id"],
            body["userId"],
            body.get("scoreGiven"),
            body.get("scoreMaximum"),
            body["activityProgress"],
            body["gradingProgress"],
            body["timestamp"],
            body,
        )
        with self._lock:
            latest = self.latest_score(score.user_id, item["id"])
            if latest and datetime.fromisoformat(latest.timestamp) > timestamp:
                raise _HttpError(409, "a later score is already recorded")
            self.scores.append(score)
        return 204, {}, ""

    def _results(self, request: _Request, course_id: str, number: str) -> _Response:
        self._require_scope(request, SCOPE_RESULT_READONLY)
        item = self._line_item_or_404(course_id, number)
        with self._lock:
            latest = {s.user_id: s for s in self.scores if s.line_item == item["id"]}
        results = [
            {
                "id": f"{item['id']}/results/{score.user_id}",
                "scoreOf": item["id"],
                "userId": score.user_id,
                "resultScore": score.score_given,
                "resultMaximum": score.score_maximum,
            }
            for score in latest.values()
            if request.query.get("user_id") in (None, score.user_id)
        ]
        return _json(200, results, RESULTS_TYPE)

    # Helpers

    def _require_tool(self) -> Tool:
        if self._tool is None:
            raise RuntimeError("call platform.tool(...) first")
        return self._tool

    def _course(self, course_id: str | None) -> Course:
        if not self.courses:
            self.course()
        if course_id is None:
            return next(iter(self.courses.values()))
        if course_id not in self.courses:
            raise ValueError(f"unknown course {course_id!r}")
        return self.courses[course_id]

    def _course_or_404(self, course_id: str) -> Course:
        with self._lock:
            if course_id not in self.courses:
                raise _HttpError(404, f"no course {course_id}")
            return self.courses[course_id]

    def _link(self, link_id: str) -> ResourceLink:
        for link in self.resource_links:
            if link.id == link_id:
                return link
        raise ValueError(f"unknown resource link {link_id!r}")

    def _latest_link(self, course_id: str | None) -> ResourceLink:
        course = self._course(course_id)
        links = [link for link in self.resource_links if link.course_id == course.id]
        return links[-1] if links else self.resource_link(course_id=course.id)

    def _create_line_item(self, course_id: str, data: dict) -> dict:
        _check_line_item(data)
        item = {
            "id": f"{self.base_url}/courses/{course_id}/lineitems/{len(self.line_items) + 1}",
            **{k: data[k] for k in ("label", "scoreMaximum") if k in data},
            **{k: data[k] for k in ("resourceId", "tag", "resourceLinkId") if data.get(k)},
        }
        self.line_items.append(item)
        return item

    def _line_item_or_404(self, course_id: str, number: str) -> dict:
        url = f"{self.base_url}/courses/{course_id}/lineitems/{number}"
        with self._lock:
            for item in self.line_items:
                if item["id"] == url:
                    return item
        raise _HttpError(404, f"no line item {url}")

    def _require_scope(self, request: _Request, *accepted: str) -> None:
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else ""
        with self._lock:
            granted = self.access_tokens.get(token)
        if granted is None:
            raise _HttpError(401, "missing or invalid bearer token")
        if not set(accepted) & set(granted):
            raise _HttpError(403, f"the token lacks the scope {accepted[0]}")

    @staticmethod
    def _require_content_type(request: _Request, content_type: str) -> None:
        received = (request.headers.get("Content-Type") or "").split(";")[0].strip()
        if received != content_type:
            raise _HttpError(415, f"Content-Type must be {content_type}, got {received!r}")

    def _verify_tool_jwt(self, token: str, *, audience: str, require=()) -> dict:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError as error:
            raise ValueError(f"not a JWT: {error}") from error
        try:
            return jwt.decode(
                token,
                self._tool_key(kid),
                algorithms=["RS256"],
                audience=audience,
                issuer=self.client_id,
                options={"require": ["exp", "iat", "iss", "aud", *require]},
            )
        except jwt.InvalidTokenError as error:
            raise ValueError(f"JWT rejected: {error}") from error

    def _tool_key(self, kid: str | None):
        tool = self._require_tool()
        if tool.jwks is not None:
            jwks = tool.jwks
        else:
            try:
                response = requests.get(tool.jwks_url, timeout=10)
                response.raise_for_status()
                jwks = response.json()
            except (requests.RequestException, ValueError) as error:
                raise ValueError(f"cannot fetch the tool's JWKS: {error}") from error
        for key in jwks.get("keys", []):
            if key.get("kid") == kid:
                return jwt.PyJWK(key).key
        raise ValueError(f"the tool's JWKS has no key {kid!r}")


_COURSE = r"/courses/([^/]+)"
_ROUTES = [
    (("GET",), r"/jwks", "_jwks_endpoint"),
    (("GET", "POST"), r"/auth", "_auth_endpoint"),
    (("POST",), r"/token", "_token_endpoint"),
    (("POST",), r"/deep_link_return", "_deep_link_return_endpoint"),
    (("GET",), _COURSE + r"/view", "_course_view"),
    (("GET",), _COURSE + r"/deep_link", "_course_deep_link"),
    (("GET",), _COURSE + r"/memberships", "_memberships"),
    (("GET",), _COURSE + r"/lineitems", "_line_items"),
    (("POST",), _COURSE + r"/lineitems", "_line_item_create"),
    (("GET",), _COURSE + r"/lineitems/(\d+)", "_line_item"),
    (("POST",), _COURSE + r"/lineitems/(\d+)/scores", "_score"),
    (("GET",), _COURSE + r"/lineitems/(\d+)/results", "_results"),
]


class _Handler(BaseHTTPRequestHandler):
    platform: Platform
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = _Request(self.command, url.path, dict(parse_qsl(url.query)), self.headers, body)
        status, headers, text = self.platform._handle(request)
        content = text.encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 204:
            self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args) -> None:
        """Keep test output quiet."""
