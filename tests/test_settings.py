import secrets

import pytest


def production_env(**extra: str) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "sourcewise.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://sourcewise.example.org",
        **extra,
    }


def test_production_settings_pass_the_deployment_checklist_without_warnings(run_manage):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_with_debug_off_refuses_to_start_with_a_clear_message(run_manage):
    env = production_env()
    del env["SECRET_KEY"]

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_without_secret_key_starts_for_local_development(run_manage):
    result = run_manage("check", env={"DEBUG": "1"})

    assert result.returncode == 0, result.stderr


def test_bad_number_in_environment_is_reported_plainly(run_manage):
    result = run_manage("check", env=production_env(CONN_MAX_AGE="forever"))

    assert result.returncode != 0
    assert "CONN_MAX_AGE must be a whole number" in result.stderr


def test_sqlite_waits_for_the_write_lock_instead_of_failing(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("only SQLite needs the write-lock settings")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_redis_url_moves_cache_and_sessions_to_redis(run_manage):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])",
        env={"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/3"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "config.sessions",  # Django's cache store; an unreachable Redis is a 503, not a sign-out
        "django_redis.cache.RedisCache",
    ]


def test_postgresql_is_djangos_backend_with_health_checks_and_no_jit(run_manage):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['CONN_HEALTH_CHECKS'], d['OPTIONS']['options'])",
        env={"DEBUG": "1", "DATABASE_URL": "postgres://nobody@127.0.0.1:5432/sourcewise"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "True", "-c", "jit=off"]


@pytest.mark.parametrize(("bench_baseline", "status"), [("", "404"), ("1", "200")])
def test_the_benchmark_baseline_is_routed_only_when_the_benchmark_asks(
    run_manage, bench_baseline, status
):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.test import Client; "
        "print(Client(HTTP_HOST='localhost').get('/bench/baseline').status_code)",
        env={"DEBUG": "1", "BENCH_BASELINE": bench_baseline},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == status


def test_default_database_is_a_sqlite_file_in_the_project_folder(run_manage):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'])",
        env={"DEBUG": "1"},
    )

    engine, name = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name.endswith("db.sqlite3")
