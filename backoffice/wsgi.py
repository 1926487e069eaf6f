import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
application = get_wsgi_application()

# A web node with an error in the startup checks (Tesseract's languages) does not start: gunicorn stops.
from backoffice.apps import refuse_to_start_on_check_errors  # noqa: E402

refuse_to_start_on_check_errors()
