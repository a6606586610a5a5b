"""gunicorn: `gunicorn -c deploy/gunicorn.conf.py commons.wsgi` (deploy/communs.service runs it).

Every value can be changed from the environment, like the Django settings. The app servers are
stateless (sessions and cache in Redis, media on S3 or a shared disk): run as many as needed
behind the proxy. Logs go to stderr as JSON lines, in the format of the site's own logs.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers a core (plus one) for a site that waits on PostgreSQL and Redis more than it computes.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# A fiche's PDF (WeasyPrint) takes a few seconds at most; a request stuck longer is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # a restart lets running requests finish (systemd's TimeoutStopSec is above it)
keepalive = 5  # nginx keeps its upstream connections open (deploy/nginx.conf: keepalive)
# A worker is replaced after this many requests: memory stays bounded, never all at once (jitter).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# X-Forwarded-* are believed only from the proxy in front (nginx on the same machine).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
# Temporary files of the workers' heartbeat in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# The access log (one JSON line a request); GUNICORN_ACCESS_LOG=false when nginx's is enough.
access_log_on = os.environ.get("GUNICORN_ACCESS_LOG", "true").strip().lower() in {"1", "true", "yes", "on"}
accesslog = "-" if access_log_on else None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "commons.logs.JsonLogFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
