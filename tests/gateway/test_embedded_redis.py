from redis import Redis

from gateway.embedded_redis import EmbeddedRedis, answers


def test_the_embedded_server_lives_and_dies_with_its_owner():
    with EmbeddedRedis(password="s3cret") as server:
        assert Redis.from_url(server.url).ping()
        assert not answers(server.url.replace("s3cret", "wrong"))
        url = server.url
    assert not answers(url)
