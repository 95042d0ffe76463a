from gateway import create_app
from gateway.embedded_redis import free_port


def test_healthz_checks_the_database_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"db": "ok", "redis": "ok"}


def test_healthz_names_redis_when_it_is_down(database_url, tmp_path):
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            "SECRET_KEY": "x",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["db"] == "ok"
    assert response.json["redis"].startswith("error")


def test_healthz_names_the_database_when_it_is_down(redis_url):
    app = create_app(
        {
            "DATABASE_URL": f"postgresql://nobody@127.0.0.1:{free_port()}/none",
            "REDIS_URL": redis_url,
            "SECRET_KEY": "x",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["redis"] == "ok"
    assert response.json["db"].startswith("error")
