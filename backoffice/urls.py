from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import health, staff

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("staff/login/", staff.StaffLoginView.as_view(), name="staff_login"),
    # "logout" is the name Viewflow's page menu looks for.
    path("staff/logout/", staff.StaffLogoutView.as_view(), name="logout"),
    path("staff/mfa/enrol/", staff.StaffMfaEnrolView.as_view(), name="staff_mfa_enrol"),
    path("staff/mfa/verify/", staff.StaffMfaVerifyView.as_view(), name="staff_mfa_verify"),
    path("staff/admin/", admin.site.urls),
    path("staff/", staff.site.urls),
    path("documents/", include("documents.urls")),
    path("api/v1/", include("api.urls")),
    path("profile/tokens/", include("api.urls_portal")),
    path("profile/apps/", include("api.oauth.urls_portal")),
    path("oauth/", include("api.oauth.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("", include("portal.urls")),
]

# Our own pages, in the person's language, never Viewflow's; a part being down is a 503 (backoffice.errors).
handler500 = "backoffice.errors.server_error"
handler404 = "backoffice.errors.page_not_found"
handler403 = "backoffice.errors.permission_denied"
