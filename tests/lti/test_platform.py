"""The LMS simulator speaks LTI 1.3 the way pylti1p3, and so the tool, expects."""

import json
import re
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
import pytest
import requests
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector

from tests.lti.platform import (
    AGS_ENDPOINT,
    CONTEXT,
    CUSTOM,
    DEEP_LINKING_SETTINGS,
    DEPLOYMENT_ID,
    INSTRUCTOR,
    LEARNER,
    MESSAGE_TYPE,
    NRPS_SERVICE,
    RESOURCE_LINK,
    ROLES,
    SCOPE_NRPS,
    SCOPE_SCORE,
    SCORE_TYPE,
    Platform,
    generate_key,
    private_pem,
    public_pem,
)

TOOL_LOGIN_URL = "http://localhost:8001/lti/login/"
TOOL_LAUNCH_URL = "http://localhost:8001/lti/launch/"
TOOL_KEY = generate_key()
OTHER_KEY = generate_key()


def tool_jwk(key=TOOL_KEY) -> dict:
    """Return the tool's public JWK the way the tool publishes it (kid is the thumbprint)."""
    return dict(Registration.get_jwk(public_pem(key)))


@pytest.fixture(scope="module")
def tool_jwks_url():
    """Serve the tool's JWKS from a server of the test, as the tool's /jwks would."""
    body = json.dumps({"keys": [tool_jwk()]}).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/jwks"
    server.shutdown()
    server.server_close()


@pytest.fixture
def platform(tool_jwks_url):
    with Platform() as platform:
        platform.tool(login_url=TOOL_LOGIN_URL, launch_url=TOOL_LAUNCH_URL, jwks_url=tool_jwks_url)
        platform.course()
        platform.person("teacher-1", "Ada Teacher", [INSTRUCTOR], "Ada", "Teacher", "ada@x.test")
        platform.person("student-1", "Sam Student", [LEARNER], "Sam", "Student")
        yield platform


def auth_request_url(platform: Platform, params: dict, **changes) -> str:
    """Return the URL the tool redirects to after the login initiation, as pylti1p3 builds it."""
    request = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": params["client_id"],
        "redirect_uri": params["target_link_uri"],
        "state": "state-1",
        "nonce": "nonce-1",
        "login_hint": params["login_hint"],
        "lti_message_hint": params["lti_message_hint"],
        **changes,
    }
    return platform.auth_url + "?" + urlencode(request)


def launch(platform: Platform, sub: str, **kwargs) -> dict:
    """Run a launch through /auth and return the verified id_token claims."""
    _, fields = platform.authorize(auth_request_url(platform, platform.login_params(sub, **kwargs)))
    return verify_id_token(platform, fields["id_token"])


def verify_id_token(platform: Platform, token: str) -> dict:
    """Verify an id_token as the tool does: against the platform's JWKS fetched over HTTP."""
    key = jwt.PyJWKClient(platform.keyset_url).get_signing_key_from_jwt(token).key
    return jwt.decode(
        token, key, algorithms=["RS256"], audience=platform.client_id, issuer=platform.issuer
    )


def registration(platform: Platform) -> Registration:
    """Return the pylti1p3 registration the tool would build from its registration page."""
    return (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_url)
        .set_auth_token_url(platform.token_url)
        .set_key_set_url(platform.keyset_url)
        .set_tool_private_key(private_pem(TOOL_KEY))
        .set_tool_public_key(public_pem(TOOL_KEY))
    )


def client_assertion(platform: Platform, *, key=TOOL_KEY, **changes) -> str:
    """Return a client-credentials assertion signed with the tool's key."""
    now = int(time.time())
    claims = {
        "iss": platform.client_id,
        "sub": platform.client_id,
        "aud": platform.token_url,
        "iat": now,
        "exp": now + 60,
        "jti": str(uuid.uuid4()),
        **changes,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": tool_jwk()["kid"]})


def request_token(platform: Platform, assertion: str, scope: str = SCOPE_SCORE):
    return requests.post(
        platform.token_url,
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "scope": scope,
        },
        timeout=10,
    )


def post_score(platform: Platform, line_item: str, token: str, **changes):
    score = {
        "userId": "student-1",
        "scoreGiven": 7,
        "scoreMaximum": 10,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": datetime.now(UTC).isoformat(),
        **changes,
    }
    return requests.post(
        line_item + "/scores",
        json=score,
        headers={"Authorization": f"Bearer {token}", "Content-Type": SCORE_TYPE},
        timeout=10,
    )


def test_registration_values_are_the_platform_endpoints(platform):
    values = platform.registration_values()

    assert values == {
        "issuer": platform.base_url,
        "client_id": "sourcewise-tool",
        "auth_url": platform.base_url + "/auth",
        "token_url": platform.base_url + "/token",
        "keyset_url": platform.base_url + "/jwks",
        "deployment_id": "deployment-1",
    }
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", platform.issuer)


def test_login_params_start_a_third_party_initiated_login(platform):
    params = platform.login_params("student-1")

    assert params["iss"] == platform.issuer
    assert params["login_hint"] == "student-1"
    assert params["target_link_uri"] == TOOL_LAUNCH_URL
    assert params["client_id"] == "sourcewise-tool"
    assert params["lti_deployment_id"] == "deployment-1"
    assert params["lti_message_hint"] in platform.launches
    url = platform.login_url_for("student-1")
    assert url.startswith(TOOL_LOGIN_URL + "?")
    assert dict(parse_qsl(urlsplit(url).query))["login_hint"] == "student-1"


def test_authorize_issues_a_resource_launch_id_token(platform):
    params = platform.login_params("teacher-1")

    action, fields = platform.authorize(auth_request_url(platform, params))
    claims = verify_id_token(platform, fields["id_token"])

    assert action == TOOL_LAUNCH_URL
    assert fields["state"] == "state-1"
    assert claims["sub"] == "teacher-1"
    assert claims["nonce"] == "nonce-1"
    assert claims["exp"] - claims["iat"] == 300
    assert (claims["name"], claims["email"]) == ("Ada Teacher", "ada@x.test")
    assert claims[MESSAGE_TYPE] == "LtiResourceLinkRequest"
    assert claims[DEPLOYMENT_ID] == "deployment-1"
    assert claims[ROLES] == [INSTRUCTOR]
    assert claims[CONTEXT]["title"] == "Year 9 Media Literacy"
    assert claims[RESOURCE_LINK]["id"] == platform.resource_links[0].id
    assert claims[AGS_ENDPOINT]["lineitems"].endswith("/courses/course-1/lineitems")
    assert claims[NRPS_SERVICE]["context_memberships_url"].endswith("/courses/course-1/memberships")
    assert platform.id_tokens[-1].claims == claims


def test_auth_endpoint_answers_a_form_that_posts_the_id_token_to_the_tool(platform):
    params = platform.login_params("student-1")

    got = requests.get(auth_request_url(platform, params), timeout=10)
    form = dict(parse_qsl(urlsplit(auth_request_url(platform, params)).query))
    posted = requests.post(platform.auth_url, data=form, timeout=10)

    for response in (got, posted):
        assert response.status_code == 200
        assert '<form method="post" action="http://localhost:8001/lti/launch/">' in response.text
        token = re.search(r'name="id_token" value="([^"]+)"', response.text).group(1)
        assert verify_id_token(platform, token)["sub"] == "student-1"
        assert 'name="state" value="state-1"' in response.text
        assert '<button type="submit">' in response.text


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"client_id": "someone-else"}, "client_id"),
        ({"redirect_uri": "http://localhost:8001/elsewhere/"}, "redirect_uri"),
        ({"login_hint": "teacher-1"}, "login_hint"),
        ({"lti_message_hint": "made-up"}, "lti_message_hint"),
        ({"response_mode": "query"}, "response_mode"),
        ({"nonce": ""}, "nonce"),
    ],
)
def test_bad_authentication_request_is_refused_saying_why(platform, change, reason):
    url = auth_request_url(platform, platform.login_params("student-1"), **change)

    with pytest.raises(ValueError, match=reason):
        platform.authorize(url)
    response = requests.get(url, timeout=10)

    assert response.status_code == 400
    assert reason in response.text
    assert platform.id_tokens == []


def test_deep_linking_launch_carries_its_settings(platform):
    claims = launch(platform, "teacher-1", message="deep_link")

    settings = claims[DEEP_LINKING_SETTINGS]
    assert claims[MESSAGE_TYPE] == "LtiDeepLinkingRequest"
    assert settings["deep_link_return_url"] == platform.base_url + "/deep_link_return"
    assert settings["accept_types"] == ["ltiResourceLink"]
    assert settings["data"]
    assert RESOURCE_LINK not in claims


def test_forged_id_tokens_fail_the_checks_a_tool_makes(platform):
    def forged(**tamper):
        url = auth_request_url(platform, platform.login_params("student-1"))
        return platform.authorize(url, **tamper)[1]["id_token"]

    with pytest.raises(jwt.InvalidSignatureError):
        verify_id_token(platform, forged(sign_with=OTHER_KEY))
    with pytest.raises(jwt.InvalidAudienceError):
        verify_id_token(platform, forged(claims={"aud": "another-tool"}))
    with pytest.raises(jwt.ExpiredSignatureError):
        verify_id_token(platform, forged(expires_in=-60))
    assert verify_id_token(platform, forged(claims={DEPLOYMENT_ID: "unknown"}))[DEPLOYMENT_ID] == (
        "unknown"
    )
    assert "name" not in verify_id_token(platform, forged(claims={"name": None}))


def test_service_token_lets_the_tool_post_a_score(platform):
    link = platform.resource_link("Quiz", line_item={"label": "Quiz", "scoreMaximum": 10})

    response = request_token(platform, client_assertion(platform))
    token = response.json()
    posted = post_score(platform, link.line_item, token["access_token"])

    assert response.status_code == 200
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 3600
    assert token["scope"] == SCOPE_SCORE
    assert posted.status_code == 204
    assert [score.score_given for score in platform.scores] == [7]
    assert platform.latest_score("student-1").line_item == link.line_item


def test_service_token_accepts_an_audience_list(platform):
    response = request_token(platform, client_assertion(platform, aud=[platform.token_url]))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("key", "changes"),
    [
        (OTHER_KEY, {}),
        (TOOL_KEY, {"aud": "http://elsewhere.test/token"}),
        (TOOL_KEY, {"iss": "someone-else"}),
        (TOOL_KEY, {"exp": int(time.time()) - 10}),
    ],
)
def test_bad_client_assertion_is_refused(platform, key, changes):
    response = request_token(platform, client_assertion(platform, key=key, **changes))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client"
    assert platform.access_tokens == {}


def test_replayed_client_assertion_is_refused(platform):
    assertion = client_assertion(platform)

    first = request_token(platform, assertion)
    replay = request_token(platform, assertion)

    assert first.status_code == 200
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"


def test_score_needs_a_bearer_token_with_the_score_scope(platform):
    link = platform.resource_link("Quiz", line_item={"label": "Quiz", "scoreMaximum": 10})
    nrps_token = request_token(platform, client_assertion(platform), scope=SCOPE_NRPS).json()

    assert post_score(platform, link.line_item, "made-up").status_code == 401
    assert requests.post(link.line_item + "/scores", json={}, timeout=10).status_code == 401
    assert post_score(platform, link.line_item, nrps_token["access_token"]).status_code == 403
    assert platform.scores == []


def test_score_for_someone_outside_the_course_is_refused(platform):
    link = platform.resource_link("Quiz", line_item={"label": "Quiz", "scoreMaximum": 10})
    token = request_token(platform, client_assertion(platform)).json()["access_token"]

    response = post_score(platform, link.line_item, token, userId="42")

    assert response.status_code == 422
    assert platform.scores == []


def test_fail_next_makes_score_posts_fail_then_recover(platform):
    link = platform.resource_link("Quiz", line_item={"label": "Quiz", "scoreMaximum": 10})
    token = request_token(platform, client_assertion(platform)).json()["access_token"]
    platform.fail_next(2)

    statuses = [post_score(platform, link.line_item, token).status_code for _ in range(3)]

    assert statuses == [503, 503, 204]
    assert len(platform.scores) == 1


def test_pylti1p3_puts_a_grade_on_the_launch_line_item(platform):
    link = platform.resource_link("Quiz", line_item={"label": "Quiz", "scoreMaximum": 10})
    claims = launch(platform, "student-1", resource_link_id=link.id)
    ags = AssignmentsGradesService(ServiceConnector(registration(platform)), claims[AGS_ENDPOINT])
    grade = (
        Grade()
        .set_user_id(claims["sub"])
        .set_score_given(9)
        .set_score_maximum(10)
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_timestamp(datetime.now(UTC).isoformat())
    )

    ags.put_grade(grade)

    score = platform.latest_score("student-1")
    assert (score.line_item, score.score_given, score.score_maximum) == (link.line_item, 9, 10)
    assert ags.get_grades()[0]["resultScore"] == 9


def test_pylti1p3_finds_or_creates_a_line_item(platform):
    claims = launch(platform, "teacher-1")
    ags = AssignmentsGradesService(ServiceConnector(registration(platform)), claims[AGS_ENDPOINT])
    wanted = LineItem().set_tag("quiz-3").set_label("Quiz 3").set_score_maximum(12)

    created = ags.find_or_create_lineitem(wanted)
    found = ags.find_or_create_lineitem(wanted)

    assert created.get_id() == found.get_id()
    assert created.get_id().startswith(platform.base_url + "/courses/course-1/lineitems/")
    assert [item["tag"] for item in platform.line_items] == ["quiz-3"]


def test_pylti1p3_reads_all_members_across_pages(platform):
    platform.add_members(5)
    platform.page_size = 2
    claims = launch(platform, "teacher-1")
    nrps = NamesRolesProvisioningService(
        ServiceConnector(registration(platform)), claims[NRPS_SERVICE]
    )

    members = nrps.get_members()
    first_page, next_url = nrps.get_members_page()

    assert len(members) == 7
    assert [m["user_id"] for m in members[:3]] == ["teacher-1", "student-1", "member-1"]
    assert members[0] == {
        "status": "Active",
        "name": "Ada Teacher",
        "given_name": "Ada",
        "family_name": "Teacher",
        "email": "ada@x.test",
        "user_id": "teacher-1",
        "roles": [INSTRUCTOR],
    }
    assert len(first_page) == 2
    assert next_url.endswith("/courses/course-1/memberships?page=2")
    assert nrps.get_context() == {
        "id": "course-1",
        "label": "MEDIA9",
        "title": "Year 9 Media Literacy",
    }


def deep_link_response(platform: Platform, claims: dict, *, title: str = "Quiz: the leak") -> str:
    """Return the tool's deep-linking response JWT for a quiz with a line item, via pylti1p3."""
    deep_link = DeepLink(
        registration(platform), claims[DEPLOYMENT_ID], claims[DEEP_LINKING_SETTINGS]
    )
    resource = (
        DeepLinkResource()
        .set_title(title)
        .set_url(TOOL_LAUNCH_URL)
        .set_custom_params({"quiz_id": "3"})
        .set_lineitem(LineItem().set_score_maximum(10).set_label(title).set_tag("quiz-3"))
    )
    return deep_link.get_response_jwt([resource])


def test_pylti1p3_deep_link_response_places_a_link_with_a_line_item(platform):
    claims = launch(platform, "teacher-1", message="deep_link")

    response = requests.post(
        platform.base_url + "/deep_link_return",
        data={"JWT": deep_link_response(platform, claims)},
        timeout=10,
    )

    assert response.status_code == 200
    assert "Placed: Quiz: the leak" in response.text
    link = platform.resource_links[-1]
    assert (link.title, link.url, link.custom) == (
        "Quiz: the leak",
        TOOL_LAUNCH_URL,
        {"quiz_id": "3"},
    )
    assert platform.line_items[-1] == {
        "id": link.line_item,
        "label": "Quiz: the leak",
        "scoreMaximum": 10,
        "tag": "quiz-3",
        "resourceLinkId": link.id,
    }
    student = launch(platform, "student-1", resource_link_id=link.id)
    assert student[RESOURCE_LINK] == {"id": link.id, "title": "Quiz: the leak"}
    assert student[CUSTOM] == {"quiz_id": "3"}
    assert student[AGS_ENDPOINT]["lineitem"] == link.line_item


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("signature", "Signature verification failed"),
        ("data", "data does not echo"),
        ("deployment", "deployment_id 'unknown' is unknown"),
    ],
)
def test_tampered_deep_link_response_is_refused(platform, tamper, reason):
    claims = launch(platform, "teacher-1", message="deep_link")
    if tamper == "signature":
        header, payload, _ = deep_link_response(platform, claims).split(".")
        signature = jwt.encode({"a": 1}, OTHER_KEY, algorithm="RS256").split(".")[2]
        token = f"{header}.{payload}.{signature}"
    elif tamper == "data":
        settings = {**claims[DEEP_LINKING_SETTINGS], "data": "not-ours"}
        token = deep_link_response(platform, {**claims, DEEP_LINKING_SETTINGS: settings})
    else:
        token = deep_link_response(platform, {**claims, DEPLOYMENT_ID: "unknown"})

    response = requests.post(
        platform.base_url + "/deep_link_return", data={"JWT": token}, timeout=10
    )

    assert response.status_code == 400
    assert reason in response.text
    assert platform.resource_links == []


def test_replayed_deep_link_response_is_refused(platform):
    token = deep_link_response(platform, launch(platform, "teacher-1", message="deep_link"))

    placed = platform.deep_link_return(token)

    assert len(placed) == 1
    with pytest.raises(ValueError, match="nonce was already used"):
        platform.deep_link_return(token)
    assert platform.resource_links == placed


def test_score_older_than_the_recorded_one_is_refused(platform):
    link = platform.resource_link("Quiz", line_item={"label": "Quiz", "scoreMaximum": 10})
    token = request_token(platform, client_assertion(platform)).json()["access_token"]
    post_score(platform, link.line_item, token, timestamp="2026-03-02T10:00:00+00:00")

    older = post_score(platform, link.line_item, token, timestamp="2026-03-02T09:00:00+00:00")
    naive = post_score(platform, link.line_item, token, timestamp="2026-03-02T11:00:00")

    assert older.status_code == 409
    assert naive.status_code == 400
    assert len(platform.scores) == 1


def test_course_page_frames_the_tool_login_for_that_person_and_link(platform):
    link = platform.resource_link("Quiz")

    page = requests.get(
        f"{platform.base_url}/courses/course-1/view",
        params={"user": "student-1", "link": link.id},
        timeout=10,
    )
    deep_link = requests.get(
        f"{platform.base_url}/courses/course-1/deep_link",
        params={"user": "teacher-1"},
        timeout=10,
    )

    assert "<title>Simulated LMS</title>" in page.text
    src = re.search(r'<iframe title="Sourcewise" src="([^"]+)"', page.text).group(1)
    query = dict(parse_qsl(urlsplit(src.replace("&amp;", "&")).query))
    assert src.startswith(TOOL_LOGIN_URL)
    assert platform.launches[query["lti_message_hint"]].resource_link_id == link.id
    assert query["login_hint"] == "student-1"
    hint = re.search(r"lti_message_hint=([^&]+)", deep_link.text).group(1)
    assert platform.launches[hint].message == "deep_link"


def test_unknown_paths_and_methods_are_answered_plainly(platform):
    assert requests.get(platform.base_url + "/nowhere", timeout=10).status_code == 404
    assert requests.post(platform.keyset_url, timeout=10).status_code == 405
