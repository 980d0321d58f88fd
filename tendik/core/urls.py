from django.urls import path

from tendik.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.site_search, name="search"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<str:kato>/", views.region_detail, name="region_detail"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("accessibility/", views.display_settings, name="display"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/second-factor/", views.otp_verify, name="otp_verify"),
    path("accounts/second-factor/setup/", views.otp_setup, name="otp_setup"),
    path("office/", views.office, name="office"),
    path("office/organisations/<str:code>/", views.office_organisation,
         name="office_organisation"),
    path("office/regions/<str:kato>/", views.office_region, name="office_region"),
    path("office/audit/", views.audit_log, name="audit_log"),
    path("office/access-log/", views.access_log, name="access_log"),
]
