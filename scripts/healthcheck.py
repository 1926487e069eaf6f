"""The web container's health check (Dockerfile HEALTHCHECK, compose.yaml): does gunicorn answer through Django?

GETs the staff login page (/staff/login/, a page that exists without data) from gunicorn on this machine,
with a Host that DJANGO_ALLOWED_HOSTS accepts and, behind trusted proxies, X-Forwarded-Proto: https as the
proxy would send it. Healthy (exit 0) when Django answers below 500: 200, or the redirect to HTTPS when no
proxy is trusted; unhealthy (exit 1) on 5xx, a refused connection or no answer within 5 seconds.
HEALTHCHECK_URL overrides the address (default http://127.0.0.1:$PORT/staff/login/). Standard library only.
"""

import http.client
import os
import sys
import urllib.parse


def main() -> int:
    url = urllib.parse.urlsplit(
        os.environ.get("HEALTHCHECK_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or 8000}/staff/login/"
    )
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip() and h.strip() != "*"]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    headers = {"Host": host, "X-Forwarded-Proto": "https", "User-Agent": "healthcheck"}
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=5)
    try:
        connection.request("GET", url.path or "/", headers=headers)
        status = connection.getresponse().status
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    print(f"HTTP {status}")
    return 0 if status < 500 else 1


if __name__ == "__main__":
    sys.exit(main())
