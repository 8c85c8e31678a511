import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
import django; django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS,"testserver"]
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.test import Client
from rest_framework.test import APIClient
user=get_user_model().objects.get(username="bench-koordination")
url=sys.argv[1]; minms=float(sys.argv[2]) if len(sys.argv)>2 else 3
c = Client() if url.startswith("/intern") else APIClient()
if url.startswith("/intern"): c.force_login(user)
else: c.force_authenticate(user=user)
c.get(url)
with CaptureQueriesContext(connection) as cap:
    r=c.get(url)
print(r.status_code)
for q in cap.captured_queries:
    if float(q['time'])*1000 < minms: continue
    print("=====", q['time'], q['sql'][:3000])
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) "+q['sql'])
        print("\n".join(r[0] for r in cur.fetchall()))
