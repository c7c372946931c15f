from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from accounts.throttle import login_throttled
from config.views import favicon, healthz

admin.site.site_header = _("Mianshi administration")
admin.site.site_title = _("Mianshi admin")
admin.site.index_title = _("Question bank, accounts and interviews")

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    # The admin's log-in shares the site's lockout (failed log-ins per address and per username).
    path("admin/login/", login_throttled(admin.site.login)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("", include("catalogue.urls")),
    path("", include("interviews.urls")),
    path("", include("progress.urls")),
    path("", include("hiring.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
