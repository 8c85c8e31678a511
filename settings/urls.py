from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from web.views.staff import admin_login_throttled

urlpatterns = [
    path("api/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # browsers ask for /favicon.ico whatever the page says
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    # no i18n_patterns: with an unprefixed default language they would pin every page to German and
    # ignore the browser's language and the language cookie
    path("admin/login/", admin_login_throttled),
    path("admin/", admin.site.urls),
    path("", include("web.urls")),
]
