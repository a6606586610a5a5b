"""deploy/: gunicorn starts with its configuration and logs JSON; the systemd unit passes
`systemd-analyze verify`; nginx accepts the site, proxies with the forwarded headers, compresses,
serves static files and images, and keeps documents to the site (each tool skipped when absent)."""

import gzip
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read() if process.stderr else "exited")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        _, errors = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _, errors = process.communicate()
    return errors or ""


def test_gunicorn_loads_the_site_with_its_configuration():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commons.settings.production",
        "SECRET_KEY": "k" * 50,
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--check-config",
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
            "commons.wsgi",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_serves_and_logs_each_request_as_json():
    port = free_port()
    environment = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "LOG_LEVEL": "info",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
            "tests.deploy.hello_app:app",
        ],
        cwd=ROOT,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(port, server)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/methodes/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert response.read() == b"https"  # believed from the proxy on this machine
    finally:
        errors = stop(server)
    entries = [json.loads(line) for line in errors.splitlines() if line.startswith("{")]
    assert len(entries) == len([line for line in errors.splitlines() if line.strip()]), errors  # JSON only
    access = [entry for entry in entries if entry["logger"] == "gunicorn.access"]
    assert len(access) == 1 and '"GET /methodes/ HTTP/1.1" 200' in access[0]["message"]
    assert any(
        entry["logger"] == "gunicorn.error" and "Booting worker" in entry["message"] for entry in entries
    )


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze absent")
def test_the_systemd_unit_is_valid(tmp_path):
    unit = (DEPLOY / "communs.service").read_text(encoding="utf-8")
    unit = unit.replace("/srv/communs/.venv/bin/gunicorn", str(Path(sys.executable).parent / "gunicorn"))
    (tmp_path / "communs.service").write_text(unit, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "communs.service")], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "deploy/gunicorn.conf.py commons.wsgi" in unit and "EnvironmentFile=/etc/communs/env" in unit


class EchoHeaders(BaseHTTPRequestHandler):
    """The app server's place: answers the headers it was sent, long enough to be compressed."""

    def do_GET(self):
        body = json.dumps({"headers": dict(self.headers), "padding": "commun " * 200}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def nginx_site(tmp_path: Path, backend: int, http: int, https: int) -> Path:
    """deploy/nginx.conf on loopback ports, with a throwaway certificate and temporary folders."""
    key, certificate = str(tmp_path / "key.pem"), str(tmp_path / "cert.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=communs.example.org", "-keyout", key, "-out", certificate],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    for old, new in {
        "server 127.0.0.1:8000": f"server 127.0.0.1:{backend}",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/communs.example.org/fullchain.pem": certificate,
        "/etc/letsencrypt/live/communs.example.org/privkey.pem": key,
        "/srv/communs/": f"{tmp_path}/srv/",
    }.items():
        assert old in site, old
        site = site.replace(old, new)
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    user = "user root;" if os.geteuid() == 0 else ""  # the workers read the test's private folders
    temporary = " ".join(
        f"{name}_temp_path {tmp_path}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"{user} pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; {temporary}\n"
        f"include {tmp_path}/site.conf; }}\n",
        encoding="utf-8",
    )
    return tmp_path / "nginx.conf"


def fetch(url: str, host: str = "communs.example.org"):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(url, headers={"Host": host, "Accept-Encoding": "gzip"})
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
    try:
        return opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def body(response) -> bytes:
    data = response.read()
    return gzip.decompress(data) if response.headers.get("Content-Encoding") == "gzip" else data


@pytest.mark.skipif(shutil.which("nginx") is None or shutil.which("openssl") is None, reason="nginx absent")
def test_nginx_proxies_compresses_and_serves_static_files_and_images(tmp_path):
    srv = tmp_path / "srv"
    (srv / "staticfiles" / "css").mkdir(parents=True)
    (srv / "staticfiles" / "css" / "site.4f2a.css").write_text("main { margin: 0 auto; }\n" * 100)
    (srv / "media" / "images").mkdir(parents=True)
    (srv / "media" / "images" / "carte.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (srv / "media" / "documents").mkdir(parents=True)
    (srv / "media" / "documents" / "prive.pdf").write_bytes(b"%PDF-1.7")
    app = ThreadingHTTPServer(("127.0.0.1", 0), EchoHeaders)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    http, https = free_port(), free_port()
    config = nginx_site(tmp_path, app.server_address[1], http, https)
    checked = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen(
        ["nginx", "-p", str(tmp_path), "-c", str(config), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(https, nginx)
        base = f"https://127.0.0.1:{https}"
        page = fetch(f"{base}/methodes/?question=par-ou-commencer")
        assert page.status == 200 and page.headers["Content-Encoding"] == "gzip"
        sent = json.loads(body(page))["headers"]
        assert sent["Host"] == "communs.example.org" and sent["X-Forwarded-Proto"] == "https"
        assert sent["X-Forwarded-For"] == "127.0.0.1" and sent["X-Real-IP"] == "127.0.0.1"

        style = fetch(f"{base}/static/css/site.4f2a.css")
        assert style.status == 200 and style.headers["Content-Encoding"] == "gzip"
        assert style.headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
        assert body(style).startswith(b"main {")
        image = fetch(f"{base}/media/images/carte.png")
        assert image.status == 200 and image.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in image.headers["Content-Security-Policy"]
        assert fetch(f"{base}/media/documents/prive.pdf").status == 404  # only through the site's checks

        plain = fetch(f"http://127.0.0.1:{http}/methodes/")
        assert plain.status == 301 and plain.headers["Location"] == "https://communs.example.org/methodes/"
    finally:
        stop(nginx)
        app.shutdown()
