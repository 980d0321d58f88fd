from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase
from django.templatetags.static import static
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from django.views.static import serve

from tendik.api.api import api, unknown_endpoint
from tendik.api.reference import reference, try_endpoint
from tendik.core.metrics import metrics
from tendik.core.views import healthz, readyz

handler400 = "tendik.core.errors.bad_request"
handler403 = "tendik.core.errors.permission_denied"
handler404 = "tendik.core.errors.page_not_found"
handler500 = "tendik.core.errors.server_error"

admin.site.site_header = "Teńdik"
admin.site.site_title = "Teńdik"

def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: with hashed static names the manifest exists only once the
    # files are collected, after the URLs have been loaded.
    return HttpResponsePermanentRedirect(static("tendik/favicon.ico"))


urlpatterns = [
    path("api/v1/docs", RedirectView.as_view(pattern_name="api_reference"), name="api_docs"),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", unknown_endpoint),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    # Browsers ask for /favicon.ico whatever the page says; it is in the static files.
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    # The back office signs in through the platform's own page, with its second factor.
    path("admin/login/", RedirectView.as_view(url=reverse_lazy("core:login"),
                                              query_string=True)),
    path("admin/", admin.site.urls),
    path("api/", reference, name="api_reference"),
    path("api/try/<str:operation_id>/", try_endpoint, name="api_try"),
    path("plan/", include("tendik.plan.urls")),
    path("indicators/", include("tendik.indicators.urls")),
    path("access/", include("tendik.access.urls")),
    path("portal/", include("tendik.portal.urls")),
    path("care/", include("tendik.care.urls")),
    path("social-workers/", include("tendik.workforce.urls")),
    path("cases/", include("tendik.cases.urls")),
    path("", include("tendik.feedback.urls")),
    path("", include("tendik.core.urls")),
    prefix_default_language=True,
)

def media_file(request: HttpRequest, path: str) -> HttpResponseBase:
    # Published uploads only: what waits for moderation is kept outside MEDIA_ROOT. At
    # national scale the proxy serves /media/ from the shared storage itself
    # (docs/deployment.md) and SERVE_MEDIA=0 turns this off.
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


if settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", media_file)]
