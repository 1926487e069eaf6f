"""Settings for the portal benchmark: the real settings plus a URLconf that adds a bare view.

Used only by ``benchmarks/portal_bench.py`` (``DJANGO_SETTINGS_MODULE=benchmarks.bench_settings``).
"""

from backoffice.settings import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.baseline_urls"
