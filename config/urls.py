from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from registry.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/registry/", include("registry.api_urls")),
    path("api/v1/portal/access/", include("portal.access.api_urls")),
    path("api/v1/portal/interaction/", include("portal.interaction.api_urls")),
    path("api/v1/portal/", include("portal.api_urls")),
    path("api/v1/commerce/", include("operations.commerce.api_urls")),
    path("registry/", include("registry.urls")),
    path("operations/commerce/", include("operations.commerce.urls")),
    path("api/v1/datastore/", include("portal.datastore.urls")),
    path("api/v1/operations/", include("operations.api_urls")),
    path("operations/", include("operations.urls")),
    path("api/3/action/", include("portal.ckan_urls")),
    path("developer/", include("portal.developer.urls")),
    path("access/", include("portal.access.urls")),
    path("interaction/", include("portal.interaction.urls")),
    path("", include("portal.urls")),
]

# Errors outside a view's own handling: problem+json on API paths, a page of the site
# elsewhere (registry/error_views.py).
handler400 = "registry.error_views.bad_request"
handler403 = "registry.error_views.permission_denied"
handler404 = "registry.error_views.page_not_found"
handler500 = "registry.error_views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
