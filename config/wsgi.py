import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_application = get_wsgi_application()

from portal.datastore.fastpath import RecordsFastPath  # noqa: E402  (needs the app registry)

# GET …/records is answered without the middleware stack (see portal/datastore/fastpath.py).
application = RecordsFastPath(django_application)
