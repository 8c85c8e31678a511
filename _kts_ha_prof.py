import os, time, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
import django; django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS,"testserver"]
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from django.test import Client
user=get_user_model().objects.get(username="bench-koordination")
api=APIClient(); api.force_authenticate(user=user)
web=Client(); web.force_login(user)
for url in sys.argv[1:]:
    c = web if url.startswith("/intern") else api
    c.get(url)
    best=None
    for _ in range(3):
        with CaptureQueriesContext(connection) as cap:
            t=time.perf_counter(); r=c.get(url); el=time.perf_counter()-t
        if best is None or el<best[0]: best=(el,[(q['time'],q['sql'][:150]) for q in cap.captured_queries])
    print(url, r.status_code, f"{best[0]*1000:.1f} ms")
    for tm,sql in best[1]: print("   ",tm,sql)
