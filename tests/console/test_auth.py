"""Login, logout, throttling and the session cookie."""

from __future__ import annotations

from redis import Redis

from gateway.console import throttle
from gateway.services.staff import create_staff
from tests.console.conftest import PASSWORD, csrf_token, log_in, post


def test_login_page_is_vietnamese_by_default(client, world):
    page = client.get("/console/login")
    assert page.status_code == 200
    assert "Đăng nhập" in page.get_data(as_text=True)


def test_pages_need_a_login(client, world):
    response = client.get("/console/c/AB/today/")
    assert response.status_code == 302
    assert response.location.startswith("/console/login?next=")


def test_login_takes_a_one_commune_user_to_today(client, world):
    response = log_in(client, "admin")
    assert response.status_code == 302 and response.location == "/console/"
    assert client.get("/console/").location == "/console/c/AB/today/"
    assert client.get("/console/c/AB/today/").status_code == 200


def test_login_goes_back_to_the_page_asked_for_but_never_off_site(client, world):
    token = csrf_token(client)
    form = {"csrf_token": token, "username": "admin", "password": PASSWORD}
    back = client.post("/console/login?next=/console/c/AB/cases/", data=form)
    assert back.location == "/console/c/AB/cases/"
    client.post("/console/logout", data={"csrf_token": csrf_token(client)})
    token = csrf_token(client)
    away = client.post(
        "/console/login?next=https://evil.example/console/",
        data={**form, "csrf_token": token},
    )
    assert away.location == "/console/"


def test_wrong_password_and_unknown_user_get_the_same_answer(client, world):
    wrong = log_in(client, "admin", "not-the-password")
    unknown = log_in(client, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in wrong.get_data(as_text=True)
    assert client.get("/console/c/AB/today/").status_code == 302


def test_inactive_user_cannot_log_in(client, world):
    from db.models import StaffUser

    StaffUser.update(active=False).where(StaffUser.username == "admin").execute()
    assert log_in(client, "admin").status_code == 401


def test_logout_is_a_post_with_a_token(admin):
    assert admin.get("/console/logout").status_code == 405
    assert admin.post("/console/logout").status_code == 400
    assert admin.get("/console/c/AB/today/").status_code == 200
    assert post(admin, "/console/logout").status_code == 302
    assert admin.get("/console/c/AB/today/").status_code == 302


def test_a_password_reset_logs_out_every_old_session(admin, world):
    assert admin.get("/console/c/AB/today/").status_code == 200
    create_staff("admin", "a-brand-new-password", ["AB"], "admin")
    assert admin.get("/console/c/AB/today/").status_code == 302


def test_five_failures_lock_that_username_from_that_address(app, client, world, redis_client):
    for _attempt in range(throttle.PAIR_FAILURES):
        assert log_in(client, "admin", "guess").status_code == 401
    locked = log_in(client, "admin")
    assert locked.status_code == 429
    assert "15 phút" in locked.get_data(as_text=True)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    assert log_in(elsewhere, "admin").status_code == 302
    assert log_in(client, "viewer").status_code == 302
    keys = redis_client.keys("console:login-failures:*")
    assert keys and all(b"admin" not in key for key in keys)
    assert 0 < redis_client.ttl(keys[0]) <= throttle.WINDOW_SECONDS


def test_a_good_login_clears_earlier_failures(client, world):
    for _attempt in range(throttle.PAIR_FAILURES - 1):
        log_in(client, "admin", "guess")
    assert log_in(client, "admin").status_code == 302
    post(client, "/console/logout")
    for _attempt in range(throttle.PAIR_FAILURES - 1):
        log_in(client, "admin", "guess")
    assert log_in(client, "admin").status_code == 302


def test_login_still_works_when_redis_is_down(app, client, world):
    app.extensions["redis"] = Redis.from_url(
        "redis://127.0.0.1:1/0", socket_connect_timeout=0.5, socket_timeout=0.5
    )
    assert log_in(client, "admin", "guess").status_code == 401
    assert log_in(client, "admin").status_code == 302


def test_session_cookie_is_httponly_lax_and_secure_outside_tests(app, client, world):
    response = log_in(client, "admin")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in tests
    app.testing = False
    secure = log_in(app.test_client(), "admin").headers["Set-Cookie"]
    assert "Secure" in secure


def test_a_user_without_commune_is_told_so(app, world):
    create_staff("lonely", PASSWORD, [], "viewer")
    client = app.test_client()
    log_in(client, "lonely")
    page = client.get("/console/")
    assert page.status_code == 200
    assert "chưa được gán xã" in page.get_data(as_text=True)
    assert client.get("/console/c/AB/today/").status_code == 403
