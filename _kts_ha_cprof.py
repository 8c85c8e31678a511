import os, sys, cProfile, pstats
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
import django; django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS,"testserver"]
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient
user=get_user_model().objects.get(username="bench-koordination")
url=sys.argv[1]
c = Client() if url.startswith("/intern") else APIClient()
if url.startswith("/intern"): c.force_login(user)
else: c.force_authenticate(user=user)
c.get(url)
pr=cProfile.Profile(); pr.enable()
for _ in range(5): c.get(url)
pr.disable()
st=pstats.Stats(pr); st.sort_stats(sys.argv[2] if len(sys.argv)>2 else "cumulative").print_stats(45)
