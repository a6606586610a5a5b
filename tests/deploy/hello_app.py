"""A WSGI app of five lines: the gunicorn configuration is tested without a database."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [f"{environ.get('HTTP_X_FORWARDED_PROTO', '')}".encode()]
