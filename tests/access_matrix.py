"""What every URL answers to every role: the decision each new URL needs.

tests/test_access_matrix.py requests every URL pattern the resolver knows, filled in with
class A's objects, as each role below, with GET and with an empty POST, and compares the
answers with this table. A URL pattern missing from MATRIX (or EXCLUDED) fails the test.

Roles, in column order:
  anonymous      not signed in
  student_a      in class A; the attempt in the URLs is theirs
  student_b      a classmate in class A with an attempt of their own (not the one in the URLs)
  teacher        class A's teacher; owns the article (a draft), questions, quiz and assignment
  other_teacher  a teacher with a class, article, quiz and student of their own
  superuser      an administrator

Cells:
  200 400 403 404 405   that status code
  "login"        a redirect to the login page (LoginRequiredMiddleware, for anonymous visitors)
  "admin_login"  a redirect to the admin's login page (a signed-in student in the admin)
  "admin"        a redirect to the admin's index: what the admin answers for an object the user
                 may not see, word for word as for an object that does not exist
  "302"          any other redirect: a form handled (its message shown on the next page), or a
                 GET to a POST-only admin endpoint sent back to its page

An empty POST is a form sent with nothing in it: a form shown again with its errors (200), a
refusal with a message (400, 403) or a redirect with a message (302) is the expected answer.
Each request's writes are rolled back, so no request sees another's.

Hidden is 404 (or "admin" in Django's own admin views), never 403: 403 is only for pages a
role may never use whatever the object (students on teacher pages, teachers in the user admin),
and is answered before any object is looked up.
"""

ROLES = ("anonymous", "student_a", "student_b", "teacher", "other_teacher", "superuser")

# Patterns not requested, with the reason. None so far: static files are served by WhiteNoise's
# middleware, not by a URL pattern. There is no password reset by email (students have none):
# teachers set new passwords from the roster.
EXCLUDED: dict[str, str] = {}

# Who may see class A's objects under each group of routes (first matching prefix wins). For
# every other role, a URL naming a real object must answer exactly as one naming an object that
# does not exist, so existence does not leak.
ENTITLED: list[tuple[str, set[str]]] = [
    ("attempts/", {"student_a"}),
    ("practice/", {"student_a"}),
    ("tests/", {"student_a"}),
    ("classes/", {"student_a", "student_b"}),
    ("assignments/", {"student_a", "student_b"}),
    ("articles/", {"teacher", "superuser"}),  # a draft
    ("admin/articles/outlet/", {"teacher", "other_teacher", "superuser"}),  # shared by all
    ("admin/auth/", {"superuser"}),
    ("admin/axes/", {"superuser"}),
    ("admin/lti_tool/", {"superuser"}),  # platform registrations
    # The platform's sign-in address: whoever follows it is answered alike (a registration is
    # no one's object; an unknown one is refused with 404 whoever asks)
    ("lti/login/", set(ROLES)),
    ("lti/classes/", {"teacher", "superuser"}),
    ("", {"teacher", "superuser"}),
]

# Known leaks, each a (route, role) with the reason it is not fixed here. The test fails when
# one stops leaking, so the entry is removed with the fix. (Django's view-on-site shortcut is
# limited to superusers in config/urls.py, and the history views of Django's and django-axes'
# own admins check the permission first: accounts/admin.py.)
KNOWN_LEAKS: dict[tuple[str, str], str] = {}

MATRIX: dict[str, dict[str, tuple]] = {
    # The project: health, accounts
    # public: probed by load balancers
    "healthz": {
        "GET": (200, 200, 200, 200, 200, 200),
        "POST": (405, 405, 405, 405, 405, 405),
    },
    # public: our JSON-LD vocabulary, for anyone reading an export
    "ns/sourcewise.jsonld": {
        "GET": (200, 200, 200, 200, 200, 200),
        "POST": (405, 405, 405, 405, 405, 405),
    },
    # an empty form is shown again with its errors
    "accounts/login/": {
        "GET": (200, 200, 200, 200, 200, 200),
        "POST": (200, 200, 200, 200, 200, 200),
    },
    # POST only (Django 5)
    "accounts/logout/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", "login", "login", "login", "login", "login"),
    },
    "accounts/password_change/": {
        "GET": ("login", 200, 200, 200, 200, 200),
        "POST": ("login", 200, 200, 200, 200, 200),
    },
    "accounts/password_change/done/": {
        "GET": ("login", 200, 200, 200, 200, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # The admin site itself
    # signed-in students are sent to the admin's login, which says they may not enter
    "admin/": {
        "GET": ("admin_login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("admin_login", "admin_login", "admin_login", 200, 200, 200),
    },
    # staff already signed in are sent to the index
    "admin/login/": {
        "GET": (200, 200, 200, "admin", "admin", "admin"),
        "POST": (200, 200, 200, 200, 200, 200),
    },
    "admin/logout/": {
        "GET": ("admin_login", "admin", "admin", 405, 405, 405),
        "POST": ("admin_login", "admin", "admin", "login", "login", "login"),
    },
    "admin/password_change/": {
        "GET": ("admin_login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("admin_login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/password_change/done/": {
        "GET": ("admin_login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("admin_login", "admin_login", "admin_login", 405, 405, 405),
    },
    # 403 without its query parameters (Django's own check)
    "admin/autocomplete/": {
        "GET": ("admin_login", "admin_login", "admin_login", 403, 403, 403),
        "POST": ("admin_login", "admin_login", "admin_login", 405, 405, 405),
    },
    "admin/jsi18n/": {
        "GET": ("admin_login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("admin_login", "admin_login", "admin_login", 405, 405, 405),
    },
    # view on site: superusers only (config/urls.py); teachers link to objects directly
    "admin/r/<path:content_type_id>/<path:object_id>/": {
        "GET": ("admin_login", "admin_login", "admin_login", 404, 404, 302),
        "POST": ("admin_login", "admin_login", "admin_login", 404, 404, 302),
    },
    # Users, groups and login records: administrators only (teachers have no
    # permission on them)
    "admin/auth/group/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/auth/group/add/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/auth/group/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/auth/group/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/auth/group/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    # the admin's old-style URL: a redirect to .../change/ whatever the id
    "admin/auth/group/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    "admin/auth/user/<id>/password/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/auth/user/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/auth/user/add/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/auth/user/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/auth/user/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/auth/user/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/auth/user/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    "admin/axes/accessattempt/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    # login records are never added by hand
    "admin/axes/accessattempt/add/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 403),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 403),
    },
    "admin/axes/accessattempt/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/axes/accessattempt/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    # read-only: a POST changes nothing and goes back
    "admin/axes/accessattempt/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 302),
    },
    "admin/axes/accessattempt/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    "admin/axes/accesslog/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    # login records are never added by hand
    "admin/axes/accesslog/add/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 403),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 403),
    },
    "admin/axes/accesslog/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/axes/accesslog/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/axes/accesslog/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 302),
    },
    "admin/axes/accesslog/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    "admin/axes/accessfailurelog/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    # login records are never added by hand
    "admin/axes/accessfailurelog/add/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 403),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 403),
    },
    "admin/axes/accessfailurelog/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/axes/accessfailurelog/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/axes/accessfailurelog/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 302),
    },
    "admin/axes/accessfailurelog/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    # Learning-platform registrations: administrators only (teachers have no permission
    # on them, and the admin's index does not list them: lti/admin.py)
    "admin/lti_tool/ltiregistration/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/lti_tool/ltiregistration/add/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/lti_tool/ltiregistration/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/lti_tool/ltiregistration/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/lti_tool/ltiregistration/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/lti_tool/ltiregistration/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    # Outlets: shared by every teacher, who may view and add them but not change or delete
    "admin/articles/outlet/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/articles/outlet/add/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/articles/outlet/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/articles/outlet/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    # teachers may view an outlet, not change it
    "admin/articles/outlet/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/articles/outlet/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    # Sources, articles and annotations: each teacher's own; another teacher's are as missing
    "admin/articles/source/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/articles/source/add/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/articles/source/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/articles/source/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/articles/source/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/articles/source/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    # nothing to import: the form again with errors
    "admin/articles/article/import/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    # an empty annotation: the panel again with errors
    "admin/articles/article/<path:object_id>/annotations/": {
        "GET": ("login", "admin_login", "admin_login", 200, 404, 200),
        "POST": ("login", "admin_login", "admin_login", 400, 404, 400),
    },
    "admin/articles/article/<path:object_id>/annotations/<int:annotation_id>/": {
        "GET": ("login", "admin_login", "admin_login", 200, 404, 200),
        "POST": ("login", "admin_login", "admin_login", 400, 404, 400),
    },
    "admin/articles/article/<path:object_id>/annotations/<int:annotation_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 302, 404, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 404, 302),
    },
    # an exactly anchored annotation has no match to accept: back with a message
    "admin/articles/article/<path:object_id>/annotations/<int:annotation_id>/accept/": {
        "GET": ("login", "admin_login", "admin_login", 302, 404, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 404, 302),
    },
    # no quote given: the panel again with errors
    "admin/articles/article/<path:object_id>/annotations/<int:annotation_id>/relocate/": {
        "GET": ("login", "admin_login", "admin_login", 302, 404, 302),
        "POST": ("login", "admin_login", "admin_login", 400, 404, 400),
    },
    # a proposal opens in the panel's form; sent empty, the form comes back with its errors
    "admin/articles/article/<path:object_id>/annotations/proposals/<int:proposal_id>/": {
        "GET": ("login", "admin_login", "admin_login", 200, 404, 200),
        "POST": ("login", "admin_login", "admin_login", 400, 404, 400),
    },
    # a complete proposal is accepted, and the teacher is back at the list with a message
    "admin/articles/article/<path:object_id>/annotations/proposals/<int:proposal_id>/accept/": {
        "GET": ("login", "admin_login", "admin_login", 302, 404, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 404, 302),
    },
    "admin/articles/article/<path:object_id>/annotations/proposals/<int:proposal_id>/reject/": {
        "GET": ("login", "admin_login", "admin_login", 302, 404, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 404, 302),
    },
    # no confidence given: the panel again with the form's error
    "admin/articles/article/<path:object_id>/annotations/proposals/accept/": {
        "GET": ("login", "admin_login", "admin_login", 302, 404, 302),
        "POST": ("login", "admin_login", "admin_login", 400, 404, 400),
    },
    "admin/articles/article/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/articles/article/add/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/articles/article/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/articles/article/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/articles/article/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/articles/article/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    "admin/articles/annotation/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/articles/annotation/add/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/articles/annotation/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/articles/annotation/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/articles/annotation/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/articles/annotation/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    # Questions, quizzes, classes and assignments: each teacher's own
    "admin/quiz/question/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/quiz/question/add/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/quiz/question/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    # an empty POST shows the confirmation page again
    "admin/quiz/question/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/quiz/question/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/quiz/question/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    "admin/quiz/quiz/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/quiz/quiz/add/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/quiz/quiz/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/quiz/quiz/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/quiz/quiz/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/quiz/quiz/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    "admin/quiz/classroom/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/quiz/classroom/add/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/quiz/classroom/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    # teachers cannot delete a class
    "admin/quiz/classroom/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 403, 403, 200),
        "POST": ("login", "admin_login", "admin_login", 403, 403, 200),
    },
    "admin/quiz/classroom/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/quiz/classroom/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    "admin/quiz/assignment/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/quiz/assignment/add/": {
        "GET": ("login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("login", "admin_login", "admin_login", 200, 200, 200),
    },
    "admin/quiz/assignment/<path:object_id>/history/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/quiz/assignment/<path:object_id>/delete/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/quiz/assignment/<path:object_id>/change/": {
        "GET": ("login", "admin_login", "admin_login", 200, "admin", 200),
        "POST": ("login", "admin_login", "admin_login", 200, "admin", 200),
    },
    "admin/quiz/assignment/<path:object_id>/": {
        "GET": ("login", "admin_login", "admin_login", 302, 302, 302),
        "POST": ("login", "admin_login", "admin_login", 302, 302, 302),
    },
    # The admin's app index and its catch-all
    "admin/^(?P<app_label>auth|axes|articles|quiz|lti_tool)/$": {
        "GET": ("admin_login", "admin_login", "admin_login", 200, 200, 200),
        "POST": ("admin_login", "admin_login", "admin_login", 200, 200, 200),
    },
    # an unknown admin page: 404 for staff, the login for everyone else
    "admin/(?P<url>.*)$": {
        "GET": ("admin_login", "admin_login", "admin_login", 404, 404, 404),
        "POST": ("admin_login", "admin_login", "admin_login", 404, 404, 404),
    },
    # The article page: here a draft, so only its owner and administrators
    "articles/<slug:slug>/": {
        "GET": ("login", 404, 404, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # The draft's stored text, as plain text: what exported annotations' offsets count into
    "articles/<slug:slug>/text/": {
        "GET": ("login", 404, 404, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # W3C Web Annotation JSON-LD for the article's teacher (a browser is sent to the editor)
    "articles/<slug:slug>/annotations/": {
        "GET": ("login", 404, 404, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "articles/<slug:slug>/annotations.jsonld": {
        "GET": ("login", 404, 404, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "articles/annotations/<uuid:uid>/": {
        "GET": ("login", 404, 404, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # Reviewing a draft's text: its teacher's page; an empty post is refused with a message
    "articles/<int:pk>/review/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # Importing annotations from a file: the draft's teacher; an empty form is shown again
    "articles/<int:pk>/annotations/import/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 403, 403, 400, 404, 400),
    },
    # Asking Sourcewise for proposals from the editor: the draft's teacher; a form post only
    "articles/<int:pk>/proposals/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    "articles/<int:pk>/review/drop/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    "articles/<int:pk>/review/restore/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    # Students
    # home: each role is sent to their own start page
    "": {
        "GET": ("login", 302, 302, 302, 302, 302),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # public (sign-up and join); an empty form is shown again with its errors
    "join/": {
        "GET": (200, 200, 200, 200, 200, 200),
        "POST": (200, 200, 200, 200, 200, 200),
    },
    # teachers see an empty list
    "classes/": {
        "GET": ("login", 200, 200, 200, 200, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # class A's members only; teachers are not its students
    "classes/<int:pk>/": {
        "GET": ("login", 200, 200, 404, 404, 404),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "assignments/<int:pk>/": {
        "GET": ("login", 200, 200, 404, 404, 404),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # a member resumes their own unfinished attempt
    "assignments/<int:pk>/start/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 302, 302, 404, 404, 404),
    },
    # the attempt's own student only: even a classmate gets 404
    "attempts/<int:pk>/": {
        "GET": ("login", 302, 404, 404, 404, 404),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "attempts/<int:pk>/questions/<int:question_id>/": {
        "GET": ("login", 200, 404, 404, 404, 404),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # no answer picked: back to the question with a message
    "attempts/<int:pk>/questions/<int:question_id>/answer/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 302, 404, 404, 404, 404),
    },
    "attempts/<int:pk>/finish/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 302, 404, 404, 404, 404),
    },
    "attempts/<int:pk>/results/": {
        "GET": ("login", 200, 404, 404, 404, 404),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # Booster practice: the booster's own student only; even a classmate gets 404
    # to the first question not yet answered
    "practice/<int:pk>/": {
        "GET": ("login", 302, 404, 404, 404, 404),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "practice/<int:pk>/questions/<int:question_id>/": {
        "GET": ("login", 200, 404, 404, 404, 404),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # no answer picked: back to the question with a message
    "practice/<int:pk>/questions/<int:question_id>/answer/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 302, 404, 404, 404, 404),
    },
    # not every question answered yet: back to the questions (a POST is the stage's Finish)
    "practice/<int:pk>/done/": {
        "GET": ("login", 302, 404, 404, 404, 404),
        "POST": ("login", 302, 404, 404, 404, 404),
    },
    # A study's test: the sitting's own student only; even a classmate gets 404
    # to the first question not yet answered
    "tests/<int:pk>/": {
        "GET": ("login", 302, 404, 404, 404, 404),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "tests/<int:pk>/questions/<int:question_id>/": {
        "GET": ("login", 200, 404, 404, 404, 404),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # no answer picked: back to the question with a message
    "tests/<int:pk>/questions/<int:question_id>/answer/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 302, 404, 404, 404, 404),
    },
    # a GET with questions left goes back to them; a POST hands the test in
    "tests/<int:pk>/done/": {
        "GET": ("login", 302, 404, 404, 404, 404),
        "POST": ("login", 302, 404, 404, 404, 404),
    },
    # Teachers: students are refused every page (403, before any object is looked up);
    # another teacher's class, assignment or student is as missing (404)
    "teach/": {
        "GET": ("login", 403, 403, 200, 200, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # an empty choice is shown again with its error
    "teach/time-zone/": {
        "GET": ("login", 403, 403, 200, 200, 200),
        "POST": ("login", 403, 403, 200, 200, 200),
    },
    # an empty form is shown again with its errors
    "teach/classes/new/": {
        "GET": ("login", 403, 403, 200, 200, 200),
        "POST": ("login", 403, 403, 200, 200, 200),
    },
    "teach/classes/<int:pk>/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/classes/<int:pk>/edit/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    # no action chosen: 400 with a message
    "teach/classes/<int:pk>/join-code/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 400, 404, 400),
    },
    "teach/classes/<int:pk>/roster/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/classes/<int:pk>/roster/import/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    # the roster's form to add one student: the roster again with the form's errors
    "teach/classes/<int:pk>/roster/add/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    "teach/classes/<int:pk>/students/<int:student_pk>/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # An empty form is refused with a message on the student's page; removing nothing says so.
    "teach/assignments/<int:pk>/students/<int:student_pk>/extension/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    "teach/assignments/<int:pk>/students/<int:student_pk>/extension/remove/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    # asks first (the confirm page); removes once the post says it is confirmed
    "teach/classes/<int:pk>/students/<int:student_pk>/remove/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    # asks first, then the new password on a login card
    "teach/classes/<int:pk>/students/<int:student_pk>/password/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    "teach/classes/<int:pk>/gradebook/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/classes/<int:pk>/gradebook.csv": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/classes/<int:pk>/skills/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/classes/<int:pk>/practice/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/classes/<int:pk>/practice.csv": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # Studies: an empty form is shown again with its errors (400)
    "teach/classes/<int:pk>/studies/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 403, 403, 400, 404, 400),
    },
    "teach/studies/<int:pk>/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # no test named: the study page again with the refusal (400)
    "teach/studies/<int:pk>/tests/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 400, 404, 400),
    },
    "teach/studies/<int:pk>/practice/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 400, 404, 400),
    },
    "teach/studies/<int:pk>/report.csv": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/studies/<int:pk>/data.csv": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/studies/<int:pk>/codebook.json": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/classes/<int:pk>/assignments/new/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    "teach/assignments/<int:pk>/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/assignments/<int:pk>/edit/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    # asks first (the confirm page); closes once the post says it is confirmed
    "teach/assignments/<int:pk>/close/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    # already open: back with a message
    "teach/assignments/<int:pk>/reopen/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    "teach/assignments/<int:pk>/questions/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/assignments/<int:pk>/progress/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/attempts/<int:pk>/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # Authoring, linked from the admin: a quiz's builder, its duplicate, its preview
    # the builder's page (and its fragment for htmx)
    "teach/quizzes/<int:pk>/builder/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # nothing ticked: back to the builder with a message
    "teach/quizzes/<int:pk>/builder/add/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    # no direction: back to the builder with a message
    "teach/quizzes/<int:pk>/builder/<int:item_id>/move/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    "teach/quizzes/<int:pk>/builder/<int:item_id>/remove/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    # the copy's admin page
    "teach/quizzes/<int:pk>/duplicate/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    # sharing with another teacher: the form; an empty one is shown again with its error
    "teach/quizzes/<int:pk>/share/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    "teach/articles/<int:pk>/share/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    # what others shared with you, and your own quizzes and articles to share
    "teach/sharing/": {
        "GET": ("login", 403, 403, 200, 200, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # to the first question not yet answered in the preview
    "teach/quizzes/<int:pk>/preview/": {
        "GET": ("login", 403, 403, 302, 404, 302),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    "teach/quizzes/<int:pk>/preview/questions/<int:question_id>/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # no answer picked: back to the question with a message
    "teach/quizzes/<int:pk>/preview/questions/<int:question_id>/answer/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    # the preview's results, then forgotten
    "teach/quizzes/<int:pk>/preview/finish/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    "teach/quizzes/<int:pk>/preview/restart/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    # GET: what a regrade would change; POST: regraded, back to the question's admin page
    "teach/questions/<int:pk>/regrade/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    # the button on an article's admin page: back to that page with a message
    "teach/articles/<int:pk>/generate/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    # Make a quiz from the article and assign it: an empty form is shown again with its errors
    "teach/articles/<int:pk>/quiz/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 403, 403, 200, 404, 200),
    },
    # the assignment just made from an article: what next
    "teach/assignments/<int:pk>/made/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # The learning-platform integration (LTI 1.3)
    # public: our public keys, which platforms fetch to check what we sign
    "lti/jwks.json": {
        "GET": (200, 200, 200, 200, 200, 200),
        "POST": (405, 405, 405, 405, 405, 405),
    },
    # public, either method (the platform's OIDC login initiation, sent by a browser that may
    # be signed in or not): a browser without the cookie-check cookie is sent to the same
    # address to see whether it keeps cookies
    "lti/login/<uuid:registration_uuid>/": {
        "GET": (302, 302, 302, 302, 302, 302),
        "POST": (302, 302, 302, 302, 302, 302),
    },
    # public, POST only: an empty post has no state, so it is refused as a launch that does not
    # match a sign-in step (403 with its message; lti/launches.py)
    "lti/launch/": {
        "GET": (405, 405, 405, 405, 405, 405),
        "POST": (403, 403, 403, 403, 403, 403),
    },
    # placing a quiz in a course (deep linking): without a choice started from the platform in
    # the session, the page says the choice has expired (400)
    "lti/place/": {
        "GET": ("login", 403, 403, 400, 400, 400),
        "POST": ("login", 403, 403, 400, 400, 400),
    },
    # what to paste into each platform: administrators only
    "lti/configuration/": {
        "GET": ("login", 403, 403, 403, 403, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # class A's course page: its teacher's (students refused; another teacher's class, or a
    # class that stands for no course, is as missing)
    "lti/classes/<int:pk>/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # the course offers no roster (no memberships URL): back to the course page with a message
    "lti/classes/<int:pk>/roster/sync/": {
        "GET": ("login", 405, 405, 405, 405, 405),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
    # A student's data: their own download, a teacher's copy, deletion
    # everyone's own: the page linked as "My data"
    "account/data/": {
        "GET": ("login", 200, 200, 200, 200, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # everyone's own data, whoever asks
    "account/data.json": {
        "GET": ("login", 200, 200, 200, 200, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # teachers of one of the student's classes; administrators for anyone
    "teach/students/<int:student_pk>/data.json": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 405, 405, 405, 405, 405),
    },
    # GET: what would be deleted; POST: deleted (student A is only in class A)
    "teach/classes/<int:pk>/students/<int:student_pk>/delete/": {
        "GET": ("login", 403, 403, 200, 404, 200),
        "POST": ("login", 403, 403, 302, 404, 302),
    },
}
